package io.lungflow.training.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic, stratified, grouped splitting: within each class, whole groups (patients, source
 * papers) are shuffled with a fixed seed and dealt into splits until each has its share, so no
 * group is on both sides and every class keeps its proportion.
 */
public final class Splits {

    private Splits() {
    }

    /**
     * @param names split names, e.g. {@code train, val, test}
     * @param fractions their shares, summing to 1
     */
    public static List<LabelledImage> assign(List<LabelledImage> images, List<String> names, double[] fractions, long seed) {
        Map<String, Map<String, List<LabelledImage>>> byClassAndGroup = new LinkedHashMap<>();
        images.stream()
                .sorted(Comparator.comparing((LabelledImage i) -> i.file().toString()))
                .forEach(i -> byClassAndGroup.computeIfAbsent(i.label(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(i.group(), k -> new ArrayList<>()).add(i));
        List<LabelledImage> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<LabelledImage>>> cls : byClassAndGroup.entrySet()) {
            List<List<LabelledImage>> groups = new ArrayList<>(cls.getValue().values());
            java.util.Collections.shuffle(groups, new Random(seed ^ cls.getKey().hashCode()));
            int total = groups.stream().mapToInt(List::size).sum();
            int[] assigned = new int[names.size()];
            for (List<LabelledImage> group : groups) {
                // Give the group to the split furthest below its share.
                int best = 0;
                double bestDeficit = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < names.size(); s++) {
                    double deficit = fractions[s] * total - assigned[s];
                    if (deficit > bestDeficit) {
                        bestDeficit = deficit;
                        best = s;
                    }
                }
                assigned[best] += group.size();
                for (LabelledImage image : group) {
                    out.add(image.withSplit(names.get(best)));
                }
            }
        }
        return out;
    }
}
