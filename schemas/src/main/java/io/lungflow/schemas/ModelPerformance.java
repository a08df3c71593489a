package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Live metrics of one model version in one role against confirmed labels (schema
 * {@code models.performance.v1}). A rate is null while its denominator is zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPerformance(
        String model,
        String version,
        Role role,
        String positiveClass,
        long labelled,
        ConfusionMatrix confusionMatrix,
        Double sensitivity,
        Double specificity,
        Double ppv,
        Double accuracy,
        Instant updatedAt) {

    public static final String CE_TYPE = "io.lungflow.model.performance.v1";

    /** {@code counts[i][j]}: confirmed label {@code classes[i]}, decided {@code classes[j]}. */
    public record ConfusionMatrix(List<String> classes, List<List<Long>> counts) {
    }

    @JsonIgnore
    public String key() {
        return model + ":" + version + ":" + role;
    }
}
