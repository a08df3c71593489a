package io.lungflow.trainer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static final PromotionGate GATE = new PromotionGate(new GateConfig() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public int minLabels() {
            return 50;
        }

        @Override
        public double specificityMargin() {
            return 0.05;
        }
    });

    /** tp, fn on positives; tn, fp on negatives. */
    static ModelPerformance perf(Role role, long tp, long fn, long tn, long fp) {
        return new ModelPerformance("m", "v", role, "covid", tp + fn + tn + fp,
                new ModelPerformance.ConfusionMatrix(List.of("covid", "non-covid"), List.of(List.of(tp, fn), List.of(fp, tn))),
                null, null, null, null, Instant.EPOCH);
    }

    @Test
    void passesWithEnoughLabelsEqualSensitivityAndSpecificityWithinTheMargin() {
        // incumbent: sensitivity 0.8, specificity 0.9; candidate: 0.8 and 0.86 over shadow + canary
        PromotionGate.Verdict v = GATE.evaluate(List.of(perf(Role.SHADOW, 16, 4, 26, 4), perf(Role.CANARY, 8, 2, 17, 3)),
                Optional.of(perf(Role.ACTIVE, 40, 10, 45, 5)), "covid");
        assertThat(v.passed()).as("%s", v.reasons()).isTrue();
        assertThat(v.candidate().labelled()).isEqualTo(80);
        assertThat(v.candidate().sensitivity()).isEqualTo(0.8);
        assertThat(v.candidate().specificity()).isEqualTo(43.0 / 50);
    }

    @Test
    void refusesLowerSensitivityAndSaysWhichNumbersFailed() {
        PromotionGate.Verdict v = GATE.evaluate(List.of(perf(Role.SHADOW, 30, 10, 18, 2)), Optional.of(perf(Role.ACTIVE, 40, 10, 45, 5)), "covid");
        assertThat(v.passed()).isFalse();
        assertThat(v.reasons()).containsExactly("sensitivity 0.750 is below the incumbent's 0.800");
    }

    @Test
    void refusesSpecificityMoreThanTheMarginBelow() {
        PromotionGate.Verdict v = GATE.evaluate(List.of(perf(Role.SHADOW, 45, 5, 42, 8)), Optional.of(perf(Role.ACTIVE, 40, 10, 45, 5)), "covid");
        assertThat(v.passed()).isFalse();
        assertThat(v.reasons()).containsExactly("specificity 0.840 is more than 0.050 below the incumbent's 0.900");
    }

    @Test
    void refusesTooFewLabelsEvenWhenTheFiguresAreBetter() {
        PromotionGate.Verdict v = GATE.evaluate(List.of(perf(Role.SHADOW, 5, 0, 5, 0)), Optional.of(perf(Role.ACTIVE, 40, 10, 45, 5)), "covid");
        assertThat(v.passed()).isFalse();
        assertThat(v.reasons()).containsExactly("only 10 confirmed labels were scored while it was SHADOW or CANARY; the gate needs 50");
    }

    @Test
    void withoutIncumbentFiguresOnlyTheLabelCountIsRequired() {
        assertThat(GATE.evaluate(List.of(perf(Role.SHADOW, 30, 10, 18, 2)), Optional.empty(), "covid").passed()).isTrue();
        assertThat(GATE.evaluate(List.of(), Optional.empty(), "covid").passed()).isFalse();
    }
}
