package io.lungflow.modelkit.metrics;

/**
 * Expected calibration error: predictions grouped into equal-width bins of confidence; the
 * weighted mean over bins of |accuracy − mean confidence| (Guo et al., 2017).
 */
public final class Calibration {

    private Calibration() {
    }

    /**
     * @param confidence the probability of the decided class, per example
     * @param correct whether that decision was right
     */
    public static double ece(double[] confidence, boolean[] correct, int bins) {
        double[] confidenceSum = new double[bins];
        long[] correctCount = new long[bins];
        long[] count = new long[bins];
        for (int i = 0; i < confidence.length; i++) {
            int bin = Math.min(bins - 1, (int) Math.floor(confidence[i] * bins));
            confidenceSum[bin] += confidence[i];
            correctCount[bin] += correct[i] ? 1 : 0;
            count[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += (double) count[b] / confidence.length
                        * Math.abs((double) correctCount[b] / count[b] - confidenceSum[b] / count[b]);
            }
        }
        return ece;
    }
}
