package io.lungflow.results.performance;

import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of (confirmed label, decision) pairs for one model version in one role, turned into the
 * rates clinicians read: sensitivity and PPV of the positive class, specificity against every
 * other class together, accuracy. A rate whose denominator is zero is null, never 0 or 1.
 */
public final class ConfusionCounts {

    private final List<String> classes;
    private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();

    public ConfusionCounts(List<String> classes) {
        this.classes = new ArrayList<>(classes);
    }

    public void add(String label, String decision, long n) {
        for (String c : List.of(label, decision)) {
            if (!classes.contains(c)) {
                classes.add(c); // a label outside the model's classes still counts, as a row of its own
            }
        }
        counts.computeIfAbsent(label, k -> new LinkedHashMap<>()).merge(decision, n, Long::sum);
    }

    public long count(String label, String decision) {
        return counts.getOrDefault(label, Map.of()).getOrDefault(decision, 0L);
    }

    public ModelPerformance toPerformance(String model, String version, Role role, String positiveClass, Instant updatedAt) {
        List<List<Long>> matrix = new ArrayList<>();
        for (String label : classes) {
            List<Long> row = new ArrayList<>();
            for (String decision : classes) {
                row.add(count(label, decision));
            }
            matrix.add(row);
        }
        ModelPerformance.ConfusionMatrix confusion = new ModelPerformance.ConfusionMatrix(List.copyOf(classes), matrix);
        ModelPerformance.Binary b = confusion.binary(positiveClass);
        return new ModelPerformance(model, version, role, positiveClass, b.total(), confusion, b.sensitivity(), b.specificity(), b.ppv(),
                b.accuracy(), updatedAt);
    }
}
