package io.lungflow.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code code} is a stable, machine-readable reason (the last
 * segment of {@code type}); {@code errors} lists each offending field where there are several.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String instance, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://lungflow.io/problems/";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(URI.create(TYPE_BASE + code), title, status, detail, null, code, List.of());
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, code, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, code, List.copyOf(fieldErrors));
    }

    /** One invalid input: where it is and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
