package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A model version and its rollout status (schema {@code models.versions.v1}), keyed
 * {@code <model>:<version>} on a compacted topic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersion(
        String model,
        String version,
        ModelStatus status,
        ModelStatus previousStatus,
        Double canaryShare,
        Artifact artifact,
        List<String> classes,
        String positiveClass,
        double threshold,
        OfflineMetrics offlineMetrics,
        Instant changedAt,
        String changedBy,
        String reason) {

    public static final String CE_TYPE = "io.lungflow.model.version.v1";

    public record Artifact(String bucket, String prefix, String manifestSha256) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OfflineMetrics(
            Integer n, Double accuracy, Double sensitivity, Double specificity, Double auc, Double f1, String split) {
    }

    @JsonIgnore
    public ModelRef ref() {
        return new ModelRef(model, version);
    }
}
