package io.lungflow.modelkit;

import java.util.List;

/**
 * How probabilities become a decision, the same in evaluation and in serving: the positive class
 * (COVID) when its probability reaches the operating threshold, otherwise the most probable of the
 * other classes. With two classes this is the usual thresholded binary decision.
 */
public final class Decision {

    private Decision() {
    }

    public static int decide(float[] probabilities, int positiveIndex, double threshold) {
        if (probabilities[positiveIndex] >= threshold) {
            return positiveIndex;
        }
        int best = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (i != positiveIndex && (best < 0 || probabilities[i] > probabilities[best])) {
                best = i;
            }
        }
        return best;
    }

    public static String decide(List<String> classes, float[] probabilities, String positiveClass, double threshold) {
        return classes.get(decide(probabilities, classes.indexOf(positiveClass), threshold));
    }
}
