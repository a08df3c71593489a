package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An image was stored and is ready to classify (schema {@code scans.ingested.v1}).
 * The object it points at exists before the event is sent. It carries no patient identifiers:
 * {@code patientRef} is a keyed hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanIngested(
        String scanId,
        StoredObject object,
        Instant receivedAt,
        Source source,
        ImageInfo image,
        String modality,
        String bodyPart,
        String viewPosition,
        String studyReference,
        String patientRef,
        DicomUids dicom,
        Scope scope) {

    public static final String CE_TYPE = "io.lungflow.scan.ingested.v1";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredObject(String bucket, String key, long sizeBytes, String sha256, String mediaType) {
    }

    public enum Channel {
        UPLOAD,
        STOW_RS,
        C_STORE
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(Channel channel, String system, String callingAeTitle) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageInfo(int width, int height, Integer frames) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DicomUids(
            String studyInstanceUid,
            String seriesInstanceUid,
            String sopInstanceUid,
            String sopClassUid,
            String transferSyntaxUid) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scope(boolean inScope, String reason) {

        public static Scope in() {
            return new Scope(true, null);
        }

        public static Scope out(String reason) {
            return new Scope(false, reason);
        }
    }
}
