package io.lungflow.results.api;

import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.dicom.pixels.ImageTooLargeException;
import io.lungflow.dicom.pixels.PixelHeader;
import io.lungflow.dicom.pixels.PixelOptions;
import io.lungflow.platform.images.ImagesConfig;
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
    private final ImagesConfig images;
    private final DecodeBudget budget;

    ImagesResource(MinioClient s3, ImagesConfig images, DecodeBudget budget) {
        this.s3 = s3;
        this.images = images;
        this.budget = budget;
    }

    @GET
    @Operation(summary = "The scan's stored image, as it was received")
    @APIResponse(responseCode = "404", description = "Unknown scan or missing object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A stored DICOM image that cannot be shown: undecodable, or beyond the image limits",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Object storage unavailable, or no room to decode the image yet (see Retry-After)",
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

    /**
     * A DICOM scan as the browser can show it: the grayscale the model reads (lung window for CT),
     * as PNG. Its pixels are read only within the image limits ingest applied and once the
     * service's decode budget has room for them, which the lease holds until the PNG is written.
     */
    private byte[] rendered(GetObjectResponse object, String scanId) {
        ImageLimits limits = images.limits();
        DecodeBudget.Lease[] lease = new DecodeBudget.Lease[1];
        try (object) {
            DicomFile file = new DicomReader().read(object, (dataset, ts) -> {
                PixelHeader header = PixelHeader.of(dataset);
                long needs = ImageLimits.dicomDecodeBytes(header, ts);
                limits.check(header.columns(), header.rows(), needs);
                lease[0] = budget.take(needs, images.decodeWait());
            });
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(DicomPixels.decode(file, PixelOptions.defaults()).gray(), "png", png);
            return png.toByteArray();
        } catch (ImageTooLargeException e) {
            throw new ProblemException(Problem.of(422, "image-too-large", "Unprocessable image",
                    "The stored DICOM image of scan " + scanId + " is beyond the image limits and is not shown: " + e.getMessage()));
        } catch (DecodeBudget.BudgetBusyException e) {
            throw ProblemException.unavailable("decoder-busy", e.getMessage() + "; try again shortly.", images.decodeWait(), e);
        } catch (DicomException e) {
            throw new ProblemException(io.lungflow.platform.problem.Problem.of(422, "image-undecodable", "Unprocessable image",
                    "The stored DICOM image of scan " + scanId + " cannot be shown: " + e.getMessage()));
        } catch (java.io.IOException e) {
            throw unavailable(e);
        } finally {
            if (lease[0] != null) {
                lease[0].close();
            }
        }
    }

    private static ProblemException unavailable(Exception e) {
        return ProblemException.unavailable("storage-unavailable", "Object storage did not answer; try again shortly.", Duration.ofSeconds(5), e);
    }
}
