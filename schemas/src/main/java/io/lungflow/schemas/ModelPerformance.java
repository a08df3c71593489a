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

        /** The matrix seen as one positive class against every other class together. */
        public Binary binary(String positiveClass) {
            long tp = 0;
            long fn = 0;
            long fp = 0;
            long tn = 0;
            long correct = 0;
            for (int i = 0; i < classes.size(); i++) {
                for (int j = 0; j < classes.size(); j++) {
                    long n = counts.get(i).get(j);
                    boolean actual = classes.get(i).equals(positiveClass);
                    boolean decided = classes.get(j).equals(positiveClass);
                    if (i == j) {
                        correct += n;
                    }
                    if (actual && decided) {
                        tp += n;
                    } else if (actual) {
                        fn += n;
                    } else if (decided) {
                        fp += n;
                    } else {
                        tn += n;
                    }
                }
            }
            return new Binary(tp, fn, fp, tn, correct);
        }
    }

    /**
     * True and false positives and negatives for one class; {@code correct} counts every class's
     * diagonal. Each rate is null while its denominator is zero.
     */
    public record Binary(long tp, long fn, long fp, long tn, long correct) {

        public long total() {
            return tp + fn + fp + tn;
        }

        public Binary plus(Binary o) {
            return new Binary(tp + o.tp, fn + o.fn, fp + o.fp, tn + o.tn, correct + o.correct);
        }

        public Double sensitivity() {
            return rate(tp, tp + fn);
        }

        public Double specificity() {
            return rate(tn, tn + fp);
        }

        public Double ppv() {
            return rate(tp, tp + fp);
        }

        public Double accuracy() {
            return rate(correct, total());
        }

        private static Double rate(long numerator, long denominator) {
            return denominator == 0 ? null : (double) numerator / denominator;
        }
    }

    @JsonIgnore
    public String key() {
        return model + ":" + version + ":" + role;
    }
}
