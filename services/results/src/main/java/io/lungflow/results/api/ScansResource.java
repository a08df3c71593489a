package io.lungflow.results.api;

import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.results.Scans;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanIdFormat;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Scans with their predictions and labels; confirming a label. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1")
@Tag(name = "scans", description = "Predictions per scan, the review worklist, confirmed labels")
public class ScansResource {

    /** The header naming the reviewer until sign-in exists; only its pseudonym is kept. */

    private final Scans scans;

    ScansResource(Scans scans) {
        this.scans = scans;
    }

    /** A label confirmation. */
    public record LabelRequest(
            @NotBlank(message = "name the label, e.g. \"covid\"") String label,
            @Schema(description = "Optional, and decided by results, not by the caller: REVIEW_PAGE for a browser on the review "
                    + "page (a same-origin request), API otherwise; IMPORT is never taken here. A value that differs is refused (400).")
            ScanLabelled.Source source) {
    }

    @GET
    @Path("/scans/{scanId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A scan: its status (PENDING until predicted), every prediction (active, shadow, canary) and its confirmed label with earlier ones")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Views.Scan.class)))
    @APIResponse(responseCode = "404", description = "Unknown scan",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Views.Scan get(@RestPath String scanId) {
        return scans.get(requireScanId(scanId));
    }

    @GET
    @Path("/scans")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search scans, newest first", description = "Filters combine; dates are ISO instants or days (UTC).")
    public Views.Page<Views.Scan> search(
            @Parameter(description = "Study reference (accession number) or Study Instance UID") @RestQuery String study,
            @Parameter(description = "The active model's decision, e.g. covid") @RestQuery String decision,
            @Parameter(description = "PENDING, PREDICTED or REJECTED") @RestQuery String status,
            @Parameter(description = "Scans a model answered for, in any role") @RestQuery String model,
            @Parameter(description = "... and version") @RestQuery String version,
            @Parameter(description = "Received at or after") @RestQuery String from,
            @Parameter(description = "Received before (a day means up to its end)") @RestQuery String to,
            @RestQuery Integer page, @RestQuery Integer size) {
        return scans.search(new Scans.Filter(blank(study), blank(decision), blank(status), blank(model), blank(version),
                instant("from", from, false), instant("to", to, true)), page == null ? 0 : page, size == null ? 50 : size);
    }

    @GET
    @Path("/worklist")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Predicted scans awaiting review, most urgent first: COVID probability, then the model's uncertainty")
    public Views.Page<Views.Scan> worklist(@RestQuery Integer page, @RestQuery Integer size) {
        return scans.worklist(page == null ? 0 : page, size == null ? 50 : size);
    }

    @RolesAllowed(Roles.RADIOLOGIST)
    @POST
    @Path("/scans/{scanId}/label")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm or correct a scan's label", description = "Becomes a scans.labels event; a later confirmation supersedes this one. "
            + "The reviewer is the authenticated user (the token's subject), kept only as a pseudonym. Role: radiologist.")
    @APIResponse(responseCode = "201", description = "Recorded", content = @Content(schema = @Schema(implementation = Views.Label.class)))
    @APIResponse(responseCode = "400", description = "Not a class of the model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown scan",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not predicted yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Broker unavailable; nothing recorded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response label(@RestPath String scanId, @NotNull(message = "a JSON body is required") @Valid LabelRequest request,
            @Context SecurityContext security, @RestHeader("Sec-Fetch-Site") String fetchSite) {
        ScanLabelled.Source source = "same-origin".equals(fetchSite) ? ScanLabelled.Source.REVIEW_PAGE : ScanLabelled.Source.API;
        if (request.source() != null && request.source() != source) {
            throw ProblemException.invalidFields("The label's source is recorded by results from the request, not taken from it.",
                    List.of(new Problem.FieldError("source", "is " + source + " for this request (REVIEW_PAGE only for the review page in a "
                            + "browser; IMPORT never through this endpoint); leave it out")));
        }
        Views.Label label = scans.confirm(requireScanId(scanId), request.label(), security.getUserPrincipal().getName(), source);
        return Response.created(URI.create("/api/v1/scans/" + scanId)).entity(label).build();
    }

    /** A path that holds no scan id (a NUL, a quote, 200 characters) is answered 400 before it reaches the database. */
    static String requireScanId(String scanId) {
        if (!ScanIdFormat.isScanId(scanId)) {
            throw ProblemException.badRequest("invalid-scan-id", ScanIdFormat.problemDetail());
        }
        return scanId;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException notInstant) {
            try {
                LocalDate day = LocalDate.parse(value.strip());
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw ProblemException.badRequest("invalid-date", "\"" + name + "\" must be an instant (2026-11-22T10:00:00Z) or a day "
                        + "(2026-11-22); got \"" + value + "\".");
            }
        }
    }
}
