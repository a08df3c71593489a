package io.lungflow.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.ingest.IngestConfig;
import io.lungflow.ingest.SpooledUpload;
import io.lungflow.platform.problem.Problem;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * A form upload is written to disk whole before the resource sees it, so its size is judged before:
 * one whose Content-Length is over {@code lungflow.ingest.max-upload-size} (plus room for the form's
 * other fields) is answered 413 as a problem document before a byte of its body is read, and the
 * connection closed; one sent in chunks, without a length, is read with that limit in place of the
 * server's (Quarkus's {@value #REQUEST_LIMIT}), so it is cut off once it passes it.
 */
@ApplicationScoped
public class FormUploadLimit {

    /** Room in a form body for its boundaries, part headers and the short text fields beside the image. */
    static final long FORM_OVERHEAD = 64 * 1024;
    private static final String SCANS = "/api/v1/scans";
    /** Where Quarkus's body-size handler leaves the limit that the body readers after it apply. */
    static final String REQUEST_LIMIT = "io.quarkus.max-request-size";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long limit;

    FormUploadLimit(IngestConfig config) {
        this.limit = config.maxUploadSize().asLongValue();
    }

    void install(@Observes Router router) {
        // Right after Quarkus's own body-size handler, whose limit (for every endpoint) this one narrows for forms.
        router.route(HttpMethod.POST, SCANS).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::check);
    }

    void check(RoutingContext context) {
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            context.next();
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = -2;
        }
        if (declared == -1) {
            context.put(REQUEST_LIMIT, limit + FORM_OVERHEAD);
            context.next();
        } else if (declared < 0) {
            refuse(context, Problem.of(400, "bad-content-length", "Bad Request", "The Content-Length is not a number."));
        } else if (declared > limit + FORM_OVERHEAD) {
            refuse(context, SpooledUpload.tooLarge(limit).problem());
        } else {
            context.next();
        }
    }

    private static void refuse(RoutingContext context, Problem problem) {
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The body is never read: the connection closes once the answer is out.
        context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body).onComplete(done -> context.request().connection().close());
    }
}
