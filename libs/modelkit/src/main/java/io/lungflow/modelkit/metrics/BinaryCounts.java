package io.lungflow.modelkit.metrics;

/**
 * A two-by-two confusion matrix and the rates read from it. A rate whose denominator is zero is
 * {@code null}: undefined, not zero.
 */
public record BinaryCounts(long tp, long fp, long tn, long fn) {

    /** Positive where {@code score >= threshold}. */
    public static BinaryCounts at(double[] scores, boolean[] positive, double threshold) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (positive[i]) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new BinaryCounts(tp, fp, tn, fn);
    }

    public long n() {
        return tp + fp + tn + fn;
    }

    public Double sensitivity() {
        return ratio(tp, tp + fn);
    }

    public Double specificity() {
        return ratio(tn, tn + fp);
    }

    public Double ppv() {
        return ratio(tp, tp + fp);
    }

    public Double npv() {
        return ratio(tn, tn + fn);
    }

    public Double accuracy() {
        return ratio(tp + tn, n());
    }

    public Double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
