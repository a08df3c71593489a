package io.lungflow.results.performance;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionCountsTest {

    @Test
    void threeClassesCountEveryNonCovidClassAsNegative() {
        ConfusionCounts counts = new ConfusionCounts(List.of("covid", "normal", "viral-pneumonia"));
        counts.add("covid", "covid", 8);
        counts.add("covid", "viral-pneumonia", 2);
        counts.add("normal", "normal", 9);
        counts.add("normal", "covid", 1);
        counts.add("viral-pneumonia", "normal", 3);
        counts.add("viral-pneumonia", "viral-pneumonia", 7);

        ModelPerformance p = counts.toPerformance("x", "1", Role.ACTIVE, "covid", Instant.EPOCH);

        assertThat(p.labelled()).isEqualTo(30);
        assertThat(p.confusionMatrix().counts()).containsExactly(List.of(8L, 0L, 2L), List.of(1L, 9L, 0L), List.of(0L, 3L, 7L));
        assertThat(p.sensitivity()).isEqualTo(0.8);
        // negatives: 20, of which 1 was called covid; a normal called viral pneumonia is still a true negative
        assertThat(p.specificity()).isEqualTo(19.0 / 20);
        assertThat(p.ppv()).isEqualTo(8.0 / 9);
        assertThat(p.accuracy()).isEqualTo(24.0 / 30);
    }

    @Test
    void ratesAreUnknownUntilTheirDenominatorIsNotZero() {
        ConfusionCounts counts = new ConfusionCounts(List.of("covid", "non-covid"));
        counts.add("non-covid", "non-covid", 3);

        ModelPerformance p = counts.toPerformance("x", "1", Role.SHADOW, "covid", Instant.EPOCH);

        assertThat(p.sensitivity()).isNull();
        assertThat(p.ppv()).isNull();
        assertThat(p.specificity()).isEqualTo(1.0);
        assertThat(new ConfusionCounts(List.of("covid", "non-covid")).toPerformance("x", "1", Role.ACTIVE, "covid", null).accuracy()).isNull();
    }

    @Test
    void aLabelOutsideTheModelsClassesGetsARowOfItsOwn() {
        ConfusionCounts counts = new ConfusionCounts(List.of("covid", "non-covid"));
        counts.add("ungradable", "covid", 1);

        ModelPerformance p = counts.toPerformance("x", "1", Role.ACTIVE, "covid", Instant.EPOCH);

        assertThat(p.confusionMatrix().classes()).containsExactly("covid", "non-covid", "ungradable");
        assertThat(p.confusionMatrix().counts().get(2)).containsExactly(1L, 0L, 0L);
        assertThat(p.specificity()).isEqualTo(0.0);
    }
}
