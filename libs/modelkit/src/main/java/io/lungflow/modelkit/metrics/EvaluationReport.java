package io.lungflow.modelkit.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./lungflow evaluate --json} writes: metrics of the positive class at the operating
 * threshold, the same at 0.5, one-vs-rest metrics per class, and macro averages.
 * {@code confusion_matrix[i][j]} counts examples of class {@code classes[i]} decided as
 * {@code classes[j]}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationReport(
        int n,
        List<String> classes,
        String positiveClass,
        double threshold,
        Double accuracy,
        Double sensitivity,
        Double specificity,
        Double ppv,
        Double npv,
        Double f1,
        Double auc,
        Double ece,
        long[][] confusionMatrix,
        @JsonProperty("at_0_5") AtThreshold atHalf,
        Map<String, ClassMetrics> perClass,
        Macro macro) {

    /** The positive class's metrics at another threshold. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AtThreshold(
            double threshold, Double accuracy, Double sensitivity, Double specificity, Double ppv, Double npv, Double f1,
            long[][] confusionMatrix) {
    }

    /** One class against the rest, at the operating threshold. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassMetrics(long n, Double sensitivity, Double specificity, Double ppv, Double npv, Double f1, Double auc) {
    }

    /** Unweighted means over classes; {@code accuracy} is the mean per-class sensitivity (balanced accuracy). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Macro(Double accuracy, Double sensitivity, Double specificity, Double f1, Double auc) {
    }
}
