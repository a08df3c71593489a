package io.lungflow.modelkit.metrics;

import io.lungflow.modelkit.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Evaluates class probabilities against true classes; see {@link EvaluationReport}. */
public final class Evaluation {

    private static final int ECE_BINS = 10;

    private Evaluation() {
    }

    /**
     * @param actual index into {@code classes} of each example's true class
     * @param probabilities per example, one probability per class
     * @param threshold operating threshold on the positive class's probability
     */
    public static EvaluationReport evaluate(List<String> classes, String positiveClass, int[] actual, float[][] probabilities,
            double threshold) {
        int positive = classes.indexOf(positiveClass);
        if (positive < 0) {
            throw new IllegalArgumentException(positiveClass + " is not one of " + classes);
        }
        int k = classes.size();
        long[][] matrix = confusion(actual, probabilities, positive, threshold, k);
        BinaryCounts counts = oneVsRest(matrix, positive);

        double[] positiveScores = column(probabilities, positive);
        boolean[] isPositive = isClass(actual, positive);
        long[][] atHalfMatrix = confusion(actual, probabilities, positive, 0.5, k);
        BinaryCounts atHalf = oneVsRest(atHalfMatrix, positive);

        Map<String, EvaluationReport.ClassMetrics> perClass = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            BinaryCounts cc = oneVsRest(matrix, c);
            perClass.put(classes.get(c), new EvaluationReport.ClassMetrics(cc.tp() + cc.fn(), cc.sensitivity(), cc.specificity(),
                    cc.ppv(), cc.npv(), cc.f1(), Roc.auc(column(probabilities, c), isClass(actual, c))));
        }
        EvaluationReport.Macro macro = new EvaluationReport.Macro(
                mean(perClass, EvaluationReport.ClassMetrics::sensitivity),
                mean(perClass, EvaluationReport.ClassMetrics::sensitivity),
                mean(perClass, EvaluationReport.ClassMetrics::specificity),
                mean(perClass, EvaluationReport.ClassMetrics::f1),
                mean(perClass, EvaluationReport.ClassMetrics::auc));

        return new EvaluationReport(actual.length, List.copyOf(classes), positiveClass, threshold, accuracy(matrix),
                counts.sensitivity(), counts.specificity(), counts.ppv(), counts.npv(), counts.f1(),
                Roc.auc(positiveScores, isPositive), ece(actual, probabilities), matrix,
                new EvaluationReport.AtThreshold(0.5, accuracy(atHalfMatrix), atHalf.sensitivity(), atHalf.specificity(),
                        atHalf.ppv(), atHalf.npv(), atHalf.f1(), atHalfMatrix),
                perClass, macro);
    }

    static long[][] confusion(int[] actual, float[][] probabilities, int positive, double threshold, int k) {
        long[][] matrix = new long[k][k];
        for (int i = 0; i < actual.length; i++) {
            matrix[actual[i]][Decision.decide(probabilities[i], positive, threshold)]++;
        }
        return matrix;
    }

    /** Class {@code c} against the rest. */
    public static BinaryCounts oneVsRest(long[][] matrix, int c) {
        long tp = matrix[c][c];
        long fn = 0;
        long fp = 0;
        long total = 0;
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < matrix.length; j++) {
                total += matrix[i][j];
            }
            if (i != c) {
                fn += matrix[c][i];
                fp += matrix[i][c];
            }
        }
        return new BinaryCounts(tp, fp, total - tp - fn - fp, fn);
    }

    /** Calibration of the model's own answer: the most probable class and its probability. */
    private static double ece(int[] actual, float[][] probabilities) {
        double[] confidence = new double[actual.length];
        boolean[] correct = new boolean[actual.length];
        for (int i = 0; i < actual.length; i++) {
            int best = 0;
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            confidence[i] = probabilities[i][best];
            correct[i] = best == actual[i];
        }
        return Calibration.ece(confidence, correct, ECE_BINS);
    }

    private static Double accuracy(long[][] matrix) {
        long right = 0;
        long total = 0;
        for (int i = 0; i < matrix.length; i++) {
            right += matrix[i][i];
            for (long v : matrix[i]) {
                total += v;
            }
        }
        return total == 0 ? null : (double) right / total;
    }

    private static double[] column(float[][] probabilities, int c) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = probabilities[i][c];
        }
        return out;
    }

    private static boolean[] isClass(int[] actual, int c) {
        boolean[] out = new boolean[actual.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = actual[i] == c;
        }
        return out;
    }

    private static Double mean(Map<String, EvaluationReport.ClassMetrics> perClass,
            Function<EvaluationReport.ClassMetrics, Double> metric) {
        double sum = 0;
        int count = 0;
        for (EvaluationReport.ClassMetrics m : perClass.values()) {
            Double v = metric.apply(m);
            if (v != null) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? null : sum / count;
    }
}
