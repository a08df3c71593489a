package io.lungflow.training.cli;

import io.lungflow.modelkit.metrics.EvaluationReport;
import java.util.Locale;

/** Evaluation reports as text for the terminal. */
final class Reports {

    private Reports() {
    }

    static String text(EvaluationReport r, String what) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Evaluation on %s (n=%d), positive class '%s'%n", what, r.n(), r.positiveClass()));
        s.append(String.format(Locale.ROOT, "  at the operating threshold %.4f:%n", r.threshold()));
        s.append(String.format(Locale.ROOT, "    accuracy %s  sensitivity %s  specificity %s  PPV %s  NPV %s  F1 %s%n",
                f(r.accuracy()), f(r.sensitivity()), f(r.specificity()), f(r.ppv()), f(r.npv()), f(r.f1())));
        s.append(String.format(Locale.ROOT, "  at 0.5:%n    accuracy %s  sensitivity %s  specificity %s  PPV %s  NPV %s  F1 %s%n",
                f(r.atHalf().accuracy()), f(r.atHalf().sensitivity()), f(r.atHalf().specificity()), f(r.atHalf().ppv()),
                f(r.atHalf().npv()), f(r.atHalf().f1())));
        s.append(String.format(Locale.ROOT, "  ROC AUC %s   expected calibration error %s%n", f(r.auc()), f(r.ece())));
        s.append("  confusion matrix (rows: true class, columns: decided), at the operating threshold:\n");
        int width = r.classes().stream().mapToInt(String::length).max().orElse(8) + 2;
        s.append(" ".repeat(width + 4));
        r.classes().forEach(c -> s.append(String.format("%" + width + "s", c)));
        s.append('\n');
        for (int i = 0; i < r.classes().size(); i++) {
            s.append(String.format("    %" + width + "s", r.classes().get(i)));
            for (long v : r.confusionMatrix()[i]) {
                s.append(String.format("%" + width + "d", v));
            }
            s.append('\n');
        }
        if (r.classes().size() > 2) {
            s.append("  per class (one against the rest):\n");
            r.perClass().forEach((c, m) -> s.append(String.format(Locale.ROOT,
                    "    %-" + width + "s n=%-4d sensitivity %s  specificity %s  F1 %s  AUC %s%n", c, m.n(), f(m.sensitivity()),
                    f(m.specificity()), f(m.f1()), f(m.auc()))));
            s.append(String.format(Locale.ROOT, "  macro: accuracy (mean per-class sensitivity) %s  specificity %s  F1 %s  AUC %s%n",
                    f(r.macro().accuracy()), f(r.macro().specificity()), f(r.macro().f1()), f(r.macro().auc())));
        }
        return s.toString();
    }

    private static String f(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
