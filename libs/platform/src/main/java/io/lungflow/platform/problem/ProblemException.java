package io.lungflow.platform.problem;

import java.time.Duration;
import java.util.List;

/**
 * Thrown where a request cannot be served; answered as its {@link Problem}. Factory methods name
 * the common cases so that every service words them the same way.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null, null);
    }

    public ProblemException(Problem problem, Duration retryAfter, Throwable cause) {
        super(problem.detail(), cause);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** How long a client should wait before trying again ({@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(Problem.of(400, code, "Bad request", detail));
    }

    public static ProblemException invalidFields(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.of(400, "invalid-fields", "Bad request", detail).withErrors(errors));
    }

    /** The request is well formed, but values in it cannot be kept as they are (422). */
    public static ProblemException unprocessable(String code, String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.of(422, code, "Unprocessable content", detail).withErrors(errors));
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(Problem.of(404, code, "Not found", detail));
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(Problem.of(409, code, "Conflict", detail));
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(Problem.of(413, "payload-too-large", "Payload too large", detail));
    }

    /** 413 with a code of its own, for a body within the size limit whose content is too large (an image's pixels). */
    public static ProblemException tooLarge(String code, String detail) {
        return new ProblemException(Problem.of(413, code, "Content too large", detail));
    }

    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type", detail));
    }

    /** The client asked too much too fast; it may try again after {@code retryAfter}. */
    public static ProblemException tooManyRequests(String code, String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(429, code, "Too many requests", detail), retryAfter, null);
    }

    /** A dependency (storage, broker, database) is unavailable: the client should retry later. */
    public static ProblemException unavailable(String code, String detail, Duration retryAfter, Throwable cause) {
        return new ProblemException(Problem.of(503, code, "Service unavailable", detail), retryAfter, cause);
    }
}
