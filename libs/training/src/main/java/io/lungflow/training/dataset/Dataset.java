package io.lungflow.training.dataset;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A labelled image collection as imported: classes in a stable order, every image with its split,
 * and everything that was skipped and why.
 */
public record Dataset(String name, Path root, String layout, List<String> classes, List<LabelledImage> images, List<String> skipped) {

    public List<LabelledImage> split(String split) {
        return images.stream().filter(i -> split.equals(i.split())).toList();
    }

    public Set<String> splits() {
        Set<String> splits = new TreeSet<>();
        images.forEach(i -> splits.add(i.split()));
        return splits;
    }

    /** Images per split and class. */
    public Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (LabelledImage image : images) {
            counts.computeIfAbsent(image.split(), s -> {
                Map<String, Integer> perClass = new LinkedHashMap<>();
                classes.forEach(c -> perClass.put(c, 0));
                return perClass;
            }).merge(image.label(), 1, Integer::sum);
        }
        return counts;
    }

    public Dataset withImages(List<LabelledImage> newImages, List<String> moreSkipped) {
        List<String> allSkipped = new java.util.ArrayList<>(skipped);
        allSkipped.addAll(moreSkipped);
        return new Dataset(name, root, layout, classes, List.copyOf(newImages), List.copyOf(allSkipped));
    }
}
