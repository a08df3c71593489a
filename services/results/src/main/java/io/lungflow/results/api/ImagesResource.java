package io.lungflow.results.api;

import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.results.store.ScanRow;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
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
        ScanRow scan = ScanRow.findById(scanId);
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
        return Response.ok(object, scan.mediaType)
                .header("Cache-Control", "private, max-age=300")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static ProblemException unavailable(Exception e) {
        return ProblemException.unavailable("storage-unavailable", "Object storage did not answer; try again shortly.", Duration.ofSeconds(5), e);
    }
}
