package io.lungflow.modelkit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Each metric on a case small enough to work out by hand. */
class MetricsTest {

    @Test
    void aucIsTheChanceAPositiveOutranksANegative() {
        // Pairs (positive, negative): (0.35,0.1) yes, (0.35,0.4) no, (0.8,0.1) yes, (0.8,0.4) yes → 3/4.
        assertThat(Roc.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true})).isEqualTo(0.75);
    }

    @Test
    void aucCountsTiesAsHalf() {
        assertThat(Roc.auc(new double[] {0.5, 0.5, 0.9}, new boolean[] {true, false, true}))
                .isCloseTo((0.5 + 1) / 2, within(1e-12));
        assertThat(Roc.auc(new double[] {0.2, 0.3}, new boolean[] {true, true})).isNull();
    }

    @Test
    void theThresholdIsTheMostSpecificThatKeepsTheTargetSensitivity() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.2, 0.65, 0.1};
        boolean[] positive = {true, true, true, true, true, false, false};
        // 80% of 5 positives is 4: the 4th highest positive score, 0.6.
        assertThat(Thresholds.forSensitivity(scores, positive, 0.8)).isEqualTo(0.6);
        assertThat(BinaryCounts.at(scores, positive, 0.6).sensitivity()).isEqualTo(0.8);
        // 95% of 5 is 4.75, so all 5 are needed: 0.2.
        assertThat(Thresholds.forSensitivity(scores, positive, 0.95)).isEqualTo(0.2);
    }

    @Test
    void eceWeighsEachBinsGapByItsSize() {
        // Bin 0.9–1.0: confidence 0.95, accuracy 1 → 0.05; bin 0.5–0.6: confidence 0.55, accuracy 0.5 → 0.05.
        double ece = Calibration.ece(new double[] {0.95, 0.95, 0.55, 0.55}, new boolean[] {true, true, true, false}, 10);
        assertThat(ece).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void ratesOfAConfusionMatrix() {
        BinaryCounts c = new BinaryCounts(8, 2, 6, 4);
        assertThat(c.sensitivity()).isEqualTo(8 / 12.0);
        assertThat(c.specificity()).isEqualTo(6 / 8.0);
        assertThat(c.ppv()).isEqualTo(0.8);
        assertThat(c.npv()).isEqualTo(0.6);
        assertThat(c.accuracy()).isEqualTo(0.7);
        assertThat(c.f1()).isEqualTo(16 / 22.0);
        assertThat(new BinaryCounts(0, 0, 3, 0).sensitivity()).isNull();
    }

    @Test
    void threeClassEvaluationUsesTheThresholdForThePositiveClass() {
        var classes = java.util.List.of("covid", "normal", "viral-pneumonia");
        int[] actual = {0, 0, 1, 2, 2};
        float[][] p = {
            {0.40f, 0.35f, 0.25f}, // covid at threshold 0.3 → covid (right)
            {0.20f, 0.70f, 0.10f}, // normal (wrong)
            {0.10f, 0.80f, 0.10f}, // normal (right)
            {0.35f, 0.05f, 0.60f}, // covid at 0.3 (wrong); viral at 0.5
            {0.05f, 0.15f, 0.80f}, // viral (right)
        };
        EvaluationReport r = Evaluation.evaluate(classes, "covid", actual, p, 0.3);
        assertThat(r.confusionMatrix()).isEqualTo(new long[][] {{1, 1, 0}, {0, 1, 0}, {1, 0, 1}});
        assertThat(r.accuracy()).isEqualTo(0.6);
        assertThat(r.sensitivity()).isEqualTo(0.5);
        assertThat(r.specificity()).isEqualTo(2 / 3.0);
        assertThat(r.atHalf().confusionMatrix()).isEqualTo(new long[][] {{0, 2, 0}, {0, 1, 0}, {0, 0, 2}});
        assertThat(r.perClass().get("viral-pneumonia").sensitivity()).isEqualTo(0.5);
        // Balanced accuracy: mean of per-class sensitivities 1/2, 1, 1/2.
        assertThat(r.macro().accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.n()).isEqualTo(5);
    }
}
