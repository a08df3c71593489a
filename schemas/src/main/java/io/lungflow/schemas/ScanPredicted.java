package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One model version's answer for one scan, or why it could not answer (schema {@code scans.predicted.v1}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanPredicted(
        String predictionId,
        String scanId,
        Outcome outcome,
        ModelRef model,
        Role role,
        Map<String, Double> probabilities,
        String decision,
        String positiveClass,
        Double threshold,
        Timings timings,
        Rejection rejection,
        Instant ingestedAt,
        Instant predictedAt) {

    public static final String CE_TYPE = "io.lungflow.scan.predicted.v1";

    public enum Outcome {
        PREDICTED,
        REJECTED
    }

    public enum RejectionCode {
        UNDECODABLE,
        OUT_OF_SCOPE,
        UNSUPPORTED_FORMAT,
        OBJECT_MISSING
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timings(Double fetchMs, Double decodeMs, Double inferenceMs, Double totalMs) {
    }

    public record Rejection(RejectionCode code, String reason) {
    }

    /** The identity of a prediction: one per scan, model version and role. */
    public static String predictionId(String scanId, ModelRef model, Role role) {
        return scanId + "/" + model.name() + "/" + model.version() + "/" + role;
    }
}
