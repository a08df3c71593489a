package io.lungflow.ingest.dicomweb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.Tag;
import io.lungflow.ingest.AcceptedScan;
import io.lungflow.ingest.ImageFormat;
import io.lungflow.ingest.ImageInspector;
import io.lungflow.ingest.IngestConfig;
import io.lungflow.ingest.quota.UploadQuota;
import io.lungflow.ingest.ScanIntake;
import io.lungflow.ingest.SpooledUpload;
import io.lungflow.ingest.UploadMetadata;
import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.schemas.ScanIngested;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * DICOMweb Store (STOW-RS, PS3.18 §10.5): {@code multipart/related; type="application/dicom"}
 * bodies, read as a stream one instance at a time, each through the same intake as an upload.
 * The answer is the Store Instances Response in DICOM JSON: the stored instances in
 * ReferencedSOPSequence (0008,1199), the refused ones in FailedSOPSequence (0008,1198) with their
 * Failure Reason (0008,1197); 200 when all were stored, 202 when some were, 409 when none was.
 */
@RolesAllowed(Roles.PACS)
@Path("/dicomweb/studies")
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = "DICOMweb", description = "STOW-RS: store DICOM instances")
public class StowResource {

    public static final String DICOM_JSON = "application/dicom+json";
    /** Failure reasons of PS3.18 Table 10.5.3-2 and PS3.4 Annex B. */
    static final int PROCESSING_FAILURE = 0x0110;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int DOES_NOT_MATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;
    static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;

    private static final Logger LOG = Logger.getLogger(StowResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScanIntake intake;
    private final IngestConfig config;

    StowResource(ScanIntake intake, IngestConfig config) {
        this.intake = intake;
        this.config = config;
    }

    @UploadQuota
    @POST
    @Consumes("multipart/related")
    @Operation(summary = "Store instances (STOW-RS)", description = "Each part is one DICOM Part 10 instance; each stored instance is one scan.")
    @APIResponse(responseCode = "200", description = "All stored", content = @Content(mediaType = DICOM_JSON))
    @APIResponse(responseCode = "202", description = "Some stored; see FailedSOPSequence", content = @Content(mediaType = DICOM_JSON))
    @APIResponse(responseCode = "409", description = "None stored; see FailedSOPSequence", content = @Content(mediaType = DICOM_JSON))
    @APIResponse(responseCode = "415", description = "Not multipart/related of application/dicom",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "408", description = "The body arrived slower than lungflow.ingest.quota.min-body-rate before any instance was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "This client's upload allowance is used up; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response store(InputStream body, @RestHeader("Content-Type") String contentType) {
        return stow(body, contentType, null);
    }

    @UploadQuota
    @POST
    @Path("/{study}")
    @Consumes("multipart/related")
    @Operation(summary = "Store instances of one study (STOW-RS)", description = "Instances of another study are refused (Failure Reason A900).")
    public Response storeInStudy(@RestPath String study, InputStream body, @RestHeader("Content-Type") String contentType) {
        return stow(body, contentType, study);
    }

    private Response stow(InputStream body, String contentType, String study) {
        String boundary = MultipartRelatedReader.boundary(contentType);
        String type = parameter(contentType, "type");
        if (boundary == null || (type != null && !type.equalsIgnoreCase("application/dicom"))) {
            throw ProblemException.unsupportedMediaType("STOW-RS takes multipart/related; type=\"application/dicom\" with a boundary; got "
                    + contentType + ".");
        }
        long limit = config.maxUploadSize().asLongValue();
        ObjectNode response = JSON.createObjectNode();
        ArrayNode stored = JSON.createArrayNode();
        ArrayNode failed = JSON.createArrayNode();
        java.nio.file.Path directory;
        try {
            directory = Files.createTempDirectory("stow-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            MultipartRelatedReader reader = new MultipartRelatedReader(new BufferedInputStream(config.paced(body), 1 << 16), boundary, limit);
            MultipartRelatedReader.Part part;
            while (true) {
                try {
                    part = reader.next(directory);
                } catch (MultipartRelatedReader.PartTooLargeException e) {
                    failed.add(item(null, null, OUT_OF_RESOURCES, "an instance is larger than " + limit + " bytes"));
                    break;
                } catch (ProblemException e) {
                    // The body slowed below the minimum rate: keep what was stored and say so for the rest.
                    if (stored.isEmpty() && failed.isEmpty()) {
                        throw e;
                    }
                    failed.add(item(null, null, OUT_OF_RESOURCES, "the rest of the body arrived too slowly: " + e.getMessage()));
                    break;
                } catch (MultipartRelatedReader.MalformedMultipartException e) {
                    if (stored.isEmpty() && failed.isEmpty()) {
                        throw ProblemException.badRequest("malformed-multipart", "The multipart/related body is malformed: " + e.getMessage() + ".");
                    }
                    failed.add(item(null, null, CANNOT_UNDERSTAND, "the body is malformed after the instances above: " + e.getMessage()));
                    break;
                }
                if (part == null) {
                    break;
                }
                storeOne(part, study, stored, failed, limit);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            deleteQuietly(directory);
        }
        if (!stored.isEmpty()) {
            ObjectNode seq = response.putObject("00081199");
            seq.put("vr", "SQ");
            seq.set("Value", stored);
        }
        if (!failed.isEmpty()) {
            ObjectNode seq = response.putObject("00081198");
            seq.put("vr", "SQ");
            seq.set("Value", failed);
        }
        int status = failed.isEmpty() ? 200 : stored.isEmpty() ? 409 : 202;
        LOG.infof("STOW-RS: %d stored, %d refused", stored.size(), failed.size());
        return Response.status(status).type(DICOM_JSON).entity(response.toString()).build();
    }

    private void storeOne(MultipartRelatedReader.Part part, String study, ArrayNode stored, ArrayNode failed, long limit) {
        String sopClass = null;
        String sopInstance = null;
        try {
            if (part.contentType() != null && !part.contentType().toLowerCase(Locale.ROOT).startsWith("application/dicom")) {
                failed.add(item(null, null, CANNOT_UNDERSTAND, "a part of type " + part.contentType() + " is not application/dicom"));
                return;
            }
            DicomFile header;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(part.file()))) {
                header = new DicomReader(ImageInspector.dicomLimits(limit)).read(in);
            } catch (DicomException e) {
                failed.add(item(null, null, CANNOT_UNDERSTAND, e.getMessage()));
                return;
            } catch (IOException e) {
                failed.add(item(null, null, PROCESSING_FAILURE, "the instance could not be read back from disk: " + e.getMessage()));
                return;
            }
            sopClass = header.dataset().getString(Tag.SOP_CLASS_UID);
            sopInstance = header.dataset().getString(Tag.SOP_INSTANCE_UID);
            if (study != null && !study.equals(header.dataset().getString(Tag.STUDY_INSTANCE_UID))) {
                failed.add(item(sopClass, sopInstance, DOES_NOT_MATCH, "the instance belongs to study "
                        + header.dataset().getString(Tag.STUDY_INSTANCE_UID) + ", not " + study));
                return;
            }
            java.nio.file.Path file = part.file();
            AcceptedScan accepted = intake.accept(() -> SpooledUpload.ofFile(file, limit), ImageFormat.DICOM,
                    new UploadMetadata(null, null, null, null, null), new ScanIngested.Source(ScanIngested.Channel.STOW_RS, null, null));
            stored.add(item(sopClass, sopInstance, null, null));
            LOG.infof("STOW-RS stored an instance as scan %s%s", accepted.scanId(), accepted.duplicate() ? " (already stored)" : "");
        } catch (ProblemException e) {
            int status = e.problem().status();
            int reason = status == 503 ? OUT_OF_RESOURCES : status == 415 ? TRANSFER_SYNTAX_NOT_SUPPORTED : status == 400 ? CANNOT_UNDERSTAND
                    : PROCESSING_FAILURE;
            failed.add(item(sopClass, sopInstance, reason, e.problem().detail()));
        } finally {
            deleteQuietly(part.file());
        }
    }

    /** An item of ReferencedSOPSequence or FailedSOPSequence (with its Failure Reason; the reason's words go to the log). */
    private static ObjectNode item(String sopClass, String sopInstance, Integer failureReason, String why) {
        ObjectNode item = JSON.createObjectNode();
        if (sopClass != null) {
            ObjectNode c = item.putObject("00081150");
            c.put("vr", "UI");
            c.putArray("Value").add(sopClass);
        }
        if (sopInstance != null) {
            ObjectNode i = item.putObject("00081155");
            i.put("vr", "UI");
            i.putArray("Value").add(sopInstance);
        }
        if (failureReason != null) {
            ObjectNode r = item.putObject("00081197");
            r.put("vr", "US");
            r.putArray("Value").add(failureReason);
            LOG.infof("STOW-RS refused an instance (failure reason %04X): %s", failureReason, why);
        }
        return item;
    }

    private static String parameter(String contentType, String name) {
        if (contentType == null) {
            return null;
        }
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith(name + "=")) {
                String v = t.substring(name.length() + 1).strip();
                return v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2 ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static void deleteQuietly(java.nio.file.Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // temporary files; the OS cleans the temp directory eventually
        }
    }
}
