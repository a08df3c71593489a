package io.lungflow.ingest.api;

import io.lungflow.ingest.AcceptedScan;
import io.lungflow.ingest.ImageFormat;
import io.lungflow.ingest.IngestConfig;
import io.lungflow.ingest.ScanIntake;
import io.lungflow.ingest.SpooledUpload;
import io.lungflow.ingest.UploadMetadata;
import io.lungflow.ingest.quota.UploadQuota;
import io.lungflow.ingest.storage.ScanStore;
import io.lungflow.ingest.storage.StorageUnavailableException;
import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.schemas.ScanIngested.Channel;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanIdFormat;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Uploads of PNG and JPEG images. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/scans")
@Tag(name = "scans", description = "Send images to be classified")
public class ScansResource {

    private final ScanIntake intake;
    private final ScanStore store;
    private final IngestConfig config;

    ScansResource(ScanIntake intake, ScanStore store, IngestConfig config) {
        this.intake = intake;
        this.store = store;
        this.config = config;
    }

    @RolesAllowed(Roles.PACS)
    @UploadQuota
    @POST
    @Consumes({"image/png", "image/jpeg", "application/dicom", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload one image as the request body",
            description = "The body is the image. application/octet-stream is recognised from its bytes. "
                    + "Optional metadata travels in Lungflow-* headers. The same bytes always get the same scan id.")
    @APIResponse(responseCode = "202", description = "Stored and announced", content = @Content(schema = @Schema(implementation = AcceptedScan.class)))
    @APIResponse(responseCode = "400", description = "Empty, undecodable, mismatched or out-of-bounds image, or invalid metadata",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Larger than lungflow.ingest.max-upload-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not PNG, JPEG or DICOM, or DICOM pixel data in a transfer syntax that is not decoded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "408", description = "The body arrived slower than lungflow.ingest.quota.min-body-rate",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "This client's upload allowance is used up; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Storage or broker unavailable; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(
            InputStream body,
            @RestHeader("Content-Type") String contentType,
            @RestHeader("Content-Length") Long contentLength,
            @Parameter(description = "CT, CR or DX") @RestHeader("Lungflow-Modality") String modality,
            @Parameter(description = "DICOM body part, e.g. CHEST") @RestHeader("Lungflow-Body-Part") String bodyPart,
            @Parameter(description = "Accession number or study reference") @RestHeader("Lungflow-Study-Reference") String studyReference,
            @Parameter(description = "Patient id; stored only as a keyed hash") @RestHeader("Lungflow-Patient-Id") String patientId,
            @Parameter(description = "Name of the sending system") @RestHeader("Lungflow-Source-System") String sourceSystem) {
        long limit = config.maxUploadSize().asLongValue();
        UploadMetadata metadata = new UploadMetadata(modality, bodyPart, studyReference, patientId, sourceSystem);
        ImageFormat declared = ImageFormat.ofMediaType(contentType).orElse(null);
        AcceptedScan accepted = intake.accept(() -> {
            if (contentLength != null && contentLength > limit) {
                throw SpooledUpload.tooLarge(limit);
            }
            return SpooledUpload.spool(config.paced(body), limit);
        }, declared, metadata, source(sourceSystem));
        return accepted(accepted);
    }

    @RolesAllowed(Roles.PACS)
    @UploadQuota
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload one image as a form",
            description = "The part 'file' is the image (PNG or JPEG; application/octet-stream is recognised from its bytes); "
                    + "the other fields are optional.")
    @APIResponse(responseCode = "202", description = "Stored and announced", content = @Content(schema = @Schema(implementation = AcceptedScan.class)))
    @APIResponse(responseCode = "400", description = "Missing file, bad image or invalid fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Larger than lungflow.ingest.max-upload-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The file is not PNG, JPEG or DICOM",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "This client's upload allowance is used up; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Storage or broker unavailable; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response uploadForm(
            @RestForm("file") List<FileUpload> files,
            @RestForm String modality,
            @RestForm String bodyPart,
            @RestForm String studyReference,
            @RestForm String patientId,
            @RestForm String sourceSystem) {
        if (files == null || files.size() != 1) {
            throw ProblemException.badRequest("missing-file", "A form upload needs exactly one part named 'file' holding the image; it had "
                    + (files == null ? 0 : files.size()) + ".");
        }
        FileUpload file = files.get(0);
        ImageFormat declared = declaredFormat(file.contentType());
        UploadMetadata metadata = new UploadMetadata(modality, bodyPart, studyReference, patientId, sourceSystem);
        AcceptedScan accepted = intake.accept(() -> SpooledUpload.ofFile(file.uploadedFile(), config.maxUploadSize().asLongValue()),
                declared, metadata, source(sourceSystem));
        return accepted(accepted);
    }

    @GET
    @Path("/{scanId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether a scan is stored", description = "Predictions and labels are served by the results service.")
    @APIResponse(responseCode = "200", description = "Stored", content = @Content(schema = @Schema(implementation = StoredScan.class)))
    @APIResponse(responseCode = "404", description = "No such scan",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public StoredScan get(@RestPath String scanId) {
        if (!ScanIdFormat.isScanId(scanId)) {
            // A NUL or a slash in the path is no scan id: answered here, not by the object store.
            throw ProblemException.badRequest("invalid-scan-id", ScanIdFormat.problemDetail());
        }
        try {
            return store.find(scanId)
                    .map(object -> new StoredScan(scanId, true, object))
                    .orElseThrow(() -> ProblemException.notFound("scan-not-found", "No scan " + scanId + " is stored."));
        } catch (StorageUnavailableException e) {
            throw ProblemException.unavailable("storage-unavailable", "The object store is unavailable. Retry later.",
                    config.retryAfter(), e);
        }
    }

    /** A stored scan as ingest knows it. */
    public record StoredScan(String scanId, boolean stored, ScanIngested.StoredObject object) {
    }

    private static Response accepted(AcceptedScan accepted) {
        return Response.accepted(accepted).location(URI.create(accepted.statusUrl())).build();
    }

    private static ImageFormat declaredFormat(String contentType) {
        if (contentType == null || contentType.startsWith(MediaType.APPLICATION_OCTET_STREAM)) {
            return null;
        }
        return ImageFormat.ofMediaType(contentType).orElseThrow(() -> ProblemException.unsupportedMediaType(
                "The file part is " + contentType + "; send image/png or image/jpeg."));
    }

    private static ScanIngested.Source source(String system) {
        String name = system == null || system.isBlank() ? null : system.strip();
        return new ScanIngested.Source(Channel.UPLOAD, name, null);
    }
}
