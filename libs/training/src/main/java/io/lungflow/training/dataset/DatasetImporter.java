package io.lungflow.training.dataset;

import io.lungflow.imaging.ClassNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Imports a labelled image directory in one of the public layouts:
 * <ul>
 *   <li>COVID-CT: {@code CT_COVID/}, {@code CT_NonCOVID/}, optionally
 *       {@code Data-split/{COVID,NonCOVID}/{train,val,test}CT_*.txt} naming each split's files;</li>
 *   <li>split folders: {@code train/<class>/…}, {@code val/<class>/…} (or {@code validation}),
 *       {@code test/<class>/…};</li>
 *   <li>class folders: {@code <class>/…}.</li>
 * </ul>
 * Splits the dataset gives are kept. What it does not give is made deterministically, stratified
 * and grouped: no split at all, or only {@code train}, becomes train/val/test 70/15/15; a missing
 * {@code val} beside {@code test} is carved from {@code train}. Files that are not images, or not
 * in any split list, are reported in {@link Dataset#skipped()}, never silently dropped.
 */
public final class DatasetImporter {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "dcm");
    private static final Pattern COVID_CT_PAPER = Pattern.compile("^(\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d+)");
    private static final Map<String, String> SPLIT_NAMES = Map.of(
            "train", "train", "training", "train", "val", "val", "valid", "val", "validation", "val", "test", "test", "testing", "test");

    private DatasetImporter() {
    }

    public static Dataset importFrom(Path dir, ImportOptions options) {
        return completeSplits(importAsGiven(dir, options), options.seed());
    }

    /**
     * The dataset with only the splits it gives (images of a class-folder layout have none), for
     * scoring a folder as it is.
     */
    public static Dataset importAsGiven(Path dir, ImportOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No dataset directory at " + dir);
        }
        Dataset raw;
        if (Files.isDirectory(dir.resolve("CT_COVID")) && Files.isDirectory(dir.resolve("CT_NonCOVID"))) {
            raw = covidCt(dir, options);
        } else if (!splitFolders(dir).isEmpty()) {
            raw = splitFolderLayout(dir, options);
        } else {
            raw = classFolderLayout(dir, options);
        }
        if (raw.images().isEmpty()) {
            throw new IllegalArgumentException("No images found in " + dir + " (layout " + raw.layout() + ")");
        }
        if (raw.classes().size() < 2) {
            throw new IllegalArgumentException("A dataset needs at least two classes; " + dir + " has " + raw.classes());
        }
        return raw;
    }

    private static Dataset covidCt(Path dir, ImportOptions options) {
        Pattern groups = options.groupPattern() != null ? options.groupPattern() : COVID_CT_PAPER;
        List<String> skipped = new ArrayList<>();
        Map<String, String> splitOf = new HashMap<>();
        Path lists = dir.resolve("Data-split");
        boolean haveLists = Files.isDirectory(lists);
        if (haveLists) {
            try (Stream<Path> files = Files.walk(lists)) {
                for (Path list : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
                    String file = list.getFileName().toString();
                    String split = SPLIT_NAMES.get(file.replaceAll("CT_.*$", "").toLowerCase(Locale.ROOT));
                    if (split == null) {
                        skipped.add(dir.relativize(list) + ": not a train, val or test list");
                        continue;
                    }
                    String classDir = file.substring(file.indexOf("CT_"), file.length() - 4);
                    for (String line : Files.readAllLines(list)) {
                        if (!line.isBlank()) {
                            splitOf.put(classDir + "/" + line.strip(), split);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<LabelledImage> images = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (String classDir : List.of("CT_COVID", "CT_NonCOVID")) {
            String label = ClassNames.normalise(classDir, options.classMap());
            classes.add(label);
            for (Path file : files(dir.resolve(classDir), skipped, dir)) {
                String key = classDir + "/" + file.getFileName();
                String split = splitOf.remove(key);
                if (haveLists && split == null) {
                    skipped.add(dir.relativize(file) + ": in no Data-split list");
                    continue;
                }
                images.add(new LabelledImage(file, label, split, group(file, groups)));
            }
        }
        splitOf.keySet().forEach(missing -> skipped.add(missing + ": listed in Data-split but not found"));
        return new Dataset(dir.getFileName().toString(), dir, "covid-ct", classes, images, skipped);
    }

    private static Dataset splitFolderLayout(Path dir, ImportOptions options) {
        List<String> skipped = new ArrayList<>();
        List<LabelledImage> images = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        for (Map.Entry<String, Path> split : splitFolders(dir).entrySet()) {
            for (Path classDir : directories(split.getValue())) {
                String label = ClassNames.normalise(classDir.getFileName().toString(), options.classMap());
                classes.add(label);
                for (Path file : files(classDir, skipped, dir)) {
                    images.add(new LabelledImage(file, label, split.getKey(), group(file, options.groupPattern())));
                }
            }
        }
        return new Dataset(dir.getFileName().toString(), dir, "split-folders", sorted(classes), images, skipped);
    }

    private static Dataset classFolderLayout(Path dir, ImportOptions options) {
        List<String> skipped = new ArrayList<>();
        List<LabelledImage> images = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        for (Path classDir : directories(dir)) {
            String label = ClassNames.normalise(classDir.getFileName().toString(), options.classMap());
            classes.add(label);
            for (Path file : files(classDir, skipped, dir)) {
                images.add(new LabelledImage(file, label, null, group(file, options.groupPattern())));
            }
        }
        return new Dataset(dir.getFileName().toString(), dir, "class-folders", sorted(classes), images, skipped);
    }

    /** Makes the splits a dataset does not give; see the class comment. */
    static Dataset completeSplits(Dataset dataset, long seed) {
        Set<String> given = new LinkedHashSet<>();
        dataset.images().forEach(i -> given.add(i.split()));
        List<String> notes = new ArrayList<>();
        List<LabelledImage> out;
        if (given.equals(Set.of("train", "val")) || given.equals(Set.of("train", "val", "test"))) {
            return dataset;
        } else if (given.contains("test") && given.contains("train") && !given.contains("val")) {
            List<LabelledImage> carved = Splits.assign(dataset.split("train"), List.of("train", "val"), new double[] {0.85, 0.15}, seed);
            out = new ArrayList<>(carved);
            out.addAll(dataset.split("test"));
            notes.add("(note) no val split given: carved 15% of train as val, grouped and stratified, seed " + seed);
        } else {
            List<LabelledImage> all = dataset.images().stream().map(i -> i.withSplit(null)).toList();
            out = Splits.assign(all, List.of("train", "val", "test"), new double[] {0.70, 0.15, 0.15}, seed);
            notes.add("(note) the dataset gives " + (given.contains(null) ? "no splits" : "only " + given)
                    + ": split train/val/test 70/15/15, grouped and stratified, seed " + seed);
        }
        return dataset.withImages(out, notes);
    }

    private static Map<String, Path> splitFolders(Path dir) {
        Map<String, Path> splits = new java.util.TreeMap<>();
        for (Path child : directories(dir)) {
            String split = SPLIT_NAMES.get(child.getFileName().toString().toLowerCase(Locale.ROOT));
            if (split != null) {
                splits.put(split, child);
            }
        }
        return splits;
    }

    private static List<Path> directories(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir, List<String> skipped, Path root) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> images = new ArrayList<>();
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                int dot = name.lastIndexOf('.');
                String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (IMAGE_EXTENSIONS.contains(extension)) {
                    images.add(file);
                } else {
                    skipped.add(root.relativize(file) + ": not an image file");
                }
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String group(Path file, Pattern pattern) {
        String name = file.getFileName().toString();
        if (pattern != null) {
            Matcher m = pattern.matcher(name);
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
        }
        return file.toString();
    }

    private static List<String> sorted(Set<String> classes) {
        List<String> list = new ArrayList<>(classes);
        list.sort(null);
        // The positive class first, so that binary datasets read covid / non-covid.
        if (list.remove("covid")) {
            list.add(0, "covid");
        }
        return list;
    }
}
