package io.lungflow.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST request into an RFC 9457 problem response: the service's own
 * {@link ProblemException}s, the framework's HTTP errors (404, 405, 406, 415), bean-validation
 * failures, and anything unexpected (500, with no internals in the body).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response = respond(e.problem().withInstance(uri.getPath()));
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers, UriInfo uri) {
        String sent = headers.getMediaType() == null ? "no Content-Type" : "Content-Type " + headers.getMediaType();
        return respond(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                sent + " is not accepted here; see the API documentation at /q/openapi for what is.")
                .withInstance(uri.getPath())).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (e instanceof NotFoundException && (cause instanceof NumberFormatException || cause instanceof IllegalArgumentException)) {
            // JAX-RS answers a query parameter that does not convert (page=x) with 404, as if the resource were missing.
            return respond(Problem.of(400, "invalid-parameter", "Bad request", "A query or path parameter is not a value of its type ("
                    + cause.getMessage() + "); see the API documentation at /q/openapi.").withInstance(uri.getPath())).build();
        }
        if (e.getResponse().getStatus() == 400 && cause instanceof JsonProcessingException json) {
            return respond(Problem.of(400, "invalid-json", "Bad request", "The body is not the JSON this endpoint takes: "
                    + json.getOriginalMessage() + ".").withInstance(uri.getPath())).build();
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = e.getResponse().getStatusInfo();
        String code = type.getReasonPhrase().toLowerCase().replace(' ', '-');
        return respond(Problem.of(status, code, type.getReasonPhrase(), e.getMessage()).withInstance(uri.getPath())).build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leaf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(Problem.of(400, "invalid-fields", "Bad request", "The request has invalid fields.")
                .withErrors(errors).withInstance(uri.getPath())).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure serving %s", uri.getPath());
        return respond(Problem.of(500, "internal-error", "Internal server error",
                "The request failed unexpectedly; the failure is logged. Nothing was accepted.")
                .withInstance(uri.getPath())).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** {@code upload.arg0.modality} becomes {@code modality}. */
    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
