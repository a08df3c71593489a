package io.lungflow.results.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the REST API answers with. */
public final class Views {

    private Views() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scan(
            String scanId,
            String status,
            Instant receivedAt,
            String channel,
            String modality,
            String bodyPart,
            String viewPosition,
            String studyReference,
            Dicom dicom,
            Scope scope,
            Image image,
            Active active,
            List<Prediction> predictions,
            Label label,
            List<Label> labelHistory) {
    }

    public record Dicom(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scope(Boolean inScope, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String href, String mediaType, Long sizeBytes, Integer width, Integer height) {
    }

    /** The answer served for the scan (ACTIVE's, or CANARY's on its share), which the worklist sorts by. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Active(String predictionId, String role, String model, String version, String decision, Double positiveProbability,
            Double uncertainty, Instant predictedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prediction(
            String predictionId,
            String role,
            String outcome,
            String model,
            String version,
            Map<String, Double> probabilities,
            String decision,
            String positiveClass,
            Double threshold,
            String rejectionCode,
            String rejectionReason,
            Instant predictedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Label(String labelId, String label, String reviewer, Instant confirmedAt, String source, String supersedes,
            Boolean agreesWithPrediction, boolean current) {
    }

    /** One page of a list; {@code total} counts every match. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }
}
