package io.lungflow.modelkit.metrics;

import java.util.Arrays;

/** Choosing an operating threshold on validation data. */
public final class Thresholds {

    private Thresholds() {
    }

    /**
     * The highest threshold at which at least {@code target} of the positives score at or above it:
     * the most specific operating point that keeps the required sensitivity. With no positives,
     * 0.5.
     */
    public static double forSensitivity(double[] scores, boolean[] positive, double target) {
        if (target <= 0 || target > 1) {
            throw new IllegalArgumentException("target sensitivity must be in (0, 1], got " + target);
        }
        double[] positives = new double[scores.length];
        int count = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positive[i]) {
                positives[count++] = scores[i];
            }
        }
        if (count == 0) {
            return 0.5;
        }
        double[] sorted = Arrays.copyOf(positives, count);
        Arrays.sort(sorted);
        int needed = (int) Math.ceil(target * count - 1e-9);
        return sorted[count - needed];
    }
}
