package io.lungflow.trainer.registry;

import io.lungflow.schemas.ModelPerformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a version may replace the ACTIVE one. On at least {@code minLabels} confirmed
 * labels scored while it was SHADOW or CANARY (the two roles' confusion matrices added up), its
 * sensitivity for the positive class must not be below the incumbent's live sensitivity, and its
 * specificity not more than {@code specificityMargin} below the incumbent's. The verdict names
 * every figure it compared.
 */
public final class PromotionGate {

    /** The figures of one side: labelled count, sensitivity, specificity (null when unknown). */
    public record Figures(long labelled, Double sensitivity, Double specificity) {

        static Figures of(List<ModelPerformance> roles, String positiveClass) {
            ModelPerformance.Binary sum = new ModelPerformance.Binary(0, 0, 0, 0, 0);
            for (ModelPerformance p : roles) {
                sum = sum.plus(p.confusionMatrix().binary(positiveClass));
            }
            return new Figures(sum.total(), sum.sensitivity(), sum.specificity());
        }
    }

    /** The gate's answer; {@code reasons} explain a refusal, or what was checked when it passes. */
    public record Verdict(boolean passed, Figures candidate, Figures incumbent, List<String> reasons) {
    }

    private final GateConfig config;

    public PromotionGate(GateConfig config) {
        this.config = config;
    }

    /**
     * @param evaluation the candidate's live performance in its SHADOW and CANARY roles
     * @param incumbent the ACTIVE version's live performance in the ACTIVE role, if any
     */
    public Verdict evaluate(List<ModelPerformance> evaluation, Optional<ModelPerformance> incumbent, String positiveClass) {
        Figures mine = Figures.of(evaluation, positiveClass);
        Figures theirs = incumbent.map(p -> Figures.of(List.of(p), positiveClass)).orElse(null);
        List<String> failures = new ArrayList<>();
        if (mine.labelled() < config.minLabels()) {
            failures.add("only " + mine.labelled() + " confirmed labels were scored while it was SHADOW or CANARY; the gate needs "
                    + config.minLabels());
        }
        if (theirs != null && theirs.sensitivity() != null) {
            if (mine.sensitivity() == null || mine.sensitivity() < theirs.sensitivity()) {
                failures.add("sensitivity " + f(mine.sensitivity()) + " is below the incumbent's " + f(theirs.sensitivity()));
            }
        }
        if (theirs != null && theirs.specificity() != null) {
            double floor = theirs.specificity() - config.specificityMargin();
            if (mine.specificity() == null || mine.specificity() < floor - 1e-12) {
                failures.add("specificity " + f(mine.specificity()) + " is more than " + f(config.specificityMargin())
                        + " below the incumbent's " + f(theirs.specificity()));
            }
        }
        if (!failures.isEmpty()) {
            return new Verdict(false, mine, theirs, failures);
        }
        String compared = theirs == null || theirs.sensitivity() == null
                ? "the incumbent has no confirmed positives and negatives to compare with yet"
                : "sensitivity " + f(mine.sensitivity()) + " ≥ " + f(theirs.sensitivity()) + ", specificity " + f(mine.specificity())
                        + " ≥ " + f(theirs.specificity()) + " − " + f(config.specificityMargin());
        return new Verdict(true, mine, theirs, List.of("on " + mine.labelled() + " confirmed labels: " + compared));
    }

    private static String f(Double v) {
        return v == null ? "unknown" : String.format(Locale.ROOT, "%.3f", v);
    }
}
