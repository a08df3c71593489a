package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A training run's state (schema {@code training.runs.v1}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRunEvent(
        String runId,
        Status status,
        String model,
        String version,
        String architecture,
        Integer epoch,
        Integer epochs,
        Double fitLoss,
        Double tuneLoss,
        Metrics metrics,
        ModelVersion.Artifact artifact,
        String reason,
        String requestedBy,
        Instant at) {

    public static final String CE_TYPE = "io.lungflow.training.run.v1";

    public enum Status {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED
    }

    public record Metrics(String split, Integer n, Double threshold, Double accuracy, Double sensitivity, Double specificity, Double auc,
            Double f1) {
    }
}
