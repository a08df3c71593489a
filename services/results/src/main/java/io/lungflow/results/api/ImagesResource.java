package io.lungflow.results.api;

import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.PixelOptions;
import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.results.store.ScanRow;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** A scan's image, streamed from object storage through the service (the browser never holds S3 credentials). */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/scans/{scanId}/image")
@Tag(name = "scans")
public class ImagesResource {

    private final MinioClient s3;

    ImagesResource(MinioClient s3) {
        this.s3 = s3;
    }

    @GET
    @Operation(summary = "The scan's stored image, as it was received")
    @APIResponse(responseCode = "404", description = "Unknown scan or missing object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Object storage unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response image(@RestPath String scanId) {
        ScanRow scan = ScanRow.findById(ScansResource.requireScanId(scanId));
        if (scan == null || scan.objectKey == null) {
            throw ProblemException.notFound("scan-not-found", "No stored image is known for scan " + scanId + ".");
        }
        GetObjectResponse object;
        try {
            object = s3.getObject(GetObjectArgs.builder().bucket(scan.bucket).object(scan.objectKey).build());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                throw ProblemException.notFound("image-missing", "The image of scan " + scanId + " is no longer in object storage.");
            }
            throw unavailable(e);
        } catch (Exception e) {
            throw unavailable(e);
        }
        if ("application/dicom".equals(scan.mediaType)) {
            return Response.ok(rendered(object, scanId), "image/png")
                    .header("Cache-Control", "private, max-age=300")
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        }
        return Response.ok(object, scan.mediaType)
                .header("Cache-Control", "private, max-age=300")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /** A DICOM scan as the browser can show it: the grayscale the model reads (lung window for CT), as PNG. */
    private static byte[] rendered(GetObjectResponse object, String scanId) {
        try (object) {
            DicomFile file = new DicomReader().read(object);
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(DicomPixels.decode(file, PixelOptions.defaults()).gray(), "png", png);
            return png.toByteArray();
        } catch (DicomException e) {
            throw new ProblemException(io.lungflow.platform.problem.Problem.of(422, "image-undecodable", "Unprocessable image",
                    "The stored DICOM image of scan " + scanId + " cannot be shown: " + e.getMessage()));
        } catch (java.io.IOException e) {
            throw unavailable(e);
        }
    }

    private static ProblemException unavailable(Exception e) {
        return ProblemException.unavailable("storage-unavailable", "Object storage did not answer; try again shortly.", Duration.ofSeconds(5), e);
    }
}
