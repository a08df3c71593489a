package io.lungflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lungflow.imaging.Augmenter;
import org.junit.jupiter.api.Test;

/** What each fit example is trained toward, with and without label smoothing. */
class TrainingTargetTest {

    @Test
    void withoutSmoothingTheTargetIsOneHot() {
        float[] y = {9, 9, 9, 9, 9, 9};
        ModelTrainer.target(y, 3, 2, 3, 0);
        assertThat(y).containsExactly(9, 9, 9, 0, 0, 1);
    }

    @Test
    void smoothingSpreadsItsShareEvenlyAndTheTargetStillSumsToOne() {
        float[] binary = new float[2];
        ModelTrainer.target(binary, 0, 0, 2, 0.1);
        assertThat(binary[0]).isCloseTo(0.95f, within(1e-6f));
        assertThat(binary[1]).isCloseTo(0.05f, within(1e-6f));

        float[] three = new float[3];
        ModelTrainer.target(three, 0, 1, 3, 0.3);
        assertThat(three[0]).isCloseTo(0.1f, within(1e-6f));
        assertThat(three[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(three[2]).isCloseTo(0.1f, within(1e-6f));
    }

    @Test
    void averagingAndSmoothingOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new TrainingOptions(1, 1, 1e-3, 0, 1, 1, Augmenter.none(), false, 1, 1.0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("averaging");
        assertThatThrownBy(() -> new TrainingOptions(1, 1, 1e-3, 0, 1, 1, Augmenter.none(), false, 1, 0, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing");
    }
}
