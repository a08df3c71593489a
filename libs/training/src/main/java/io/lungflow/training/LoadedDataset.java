package io.lungflow.training;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.ImageDecoding;
import io.lungflow.imaging.UndecodableImageException;
import io.lungflow.training.dataset.Dataset;
import io.lungflow.training.dataset.LabelledImage;
import io.lungflow.training.dataset.Splits;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's images decoded, and its splits given their roles: {@code fit} is trained on;
 * {@code tune} chooses when to stop and the operating threshold; {@code heldOut} is only ever
 * evaluated, once, at the end. Given train, val and test, they are train, val and test. Given
 * train and val only (COVID-CT as published without its test set), 15% of train is set aside,
 * grouped by source, to tune, and val is held out.
 */
public final class LoadedDataset {

    private final Dataset dataset;
    private final List<String> skipped;
    private final Map<String, List<Example>> roles = new LinkedHashMap<>();
    private final String heldOutSplit;

    private LoadedDataset(Dataset dataset, List<String> skipped, String heldOutSplit) {
        this.dataset = dataset;
        this.skipped = skipped;
        this.heldOutSplit = heldOutSplit;
    }

    public static LoadedDataset load(Dataset dataset, long seed) {
        List<String> skipped = new ArrayList<>(dataset.skipped());
        List<LabelledImage> fit;
        List<LabelledImage> tune;
        List<LabelledImage> heldOut;
        String heldOutSplit;
        if (!dataset.split("test").isEmpty()) {
            fit = dataset.split("train");
            tune = dataset.split("val");
            heldOut = dataset.split("test");
            heldOutSplit = "test";
        } else {
            List<LabelledImage> carved = Splits.assign(dataset.split("train"), List.of("fit", "tune"), new double[] {0.85, 0.15}, seed);
            fit = carved.stream().filter(i -> i.split().equals("fit")).toList();
            tune = carved.stream().filter(i -> i.split().equals("tune")).toList();
            heldOut = dataset.split("val");
            heldOutSplit = "val";
            skipped.add("(note) no test split: 15% of train tunes early stopping and the threshold; val is held out");
        }
        LoadedDataset loaded = new LoadedDataset(dataset, skipped, heldOutSplit);
        loaded.roles.put("fit", loaded.decode(fit));
        loaded.roles.put("tune", loaded.decode(tune));
        loaded.roles.put("heldOut", loaded.decode(heldOut));
        return loaded;
    }

    /** Decodes the images of one split (for evaluating a model on it). */
    public static List<Example> decodeSplit(Dataset dataset, String split, List<String> skipped) {
        LoadedDataset loaded = new LoadedDataset(dataset, skipped, split);
        return loaded.decode(dataset.split(split));
    }

    private List<Example> decode(List<LabelledImage> images) {
        List<Example> out = new ArrayList<>(images.size());
        for (LabelledImage image : images) {
            try {
                GrayImage gray = ImageDecoding.decode(Files.readAllBytes(image.file()));
                out.add(new Example(gray, dataset.classes().indexOf(image.label())));
            } catch (UndecodableImageException | IOException e) {
                skipped.add(dataset.root().relativize(image.file()) + ": " + e.getMessage());
            }
        }
        return out;
    }

    public Dataset dataset() {
        return dataset;
    }

    public List<String> classes() {
        return dataset.classes();
    }

    public List<Example> fit() {
        return roles.get("fit");
    }

    public List<Example> tune() {
        return roles.get("tune");
    }

    public List<Example> heldOut() {
        return roles.get("heldOut");
    }

    /** The dataset split the held-out examples come from. */
    public String heldOutSplit() {
        return heldOutSplit;
    }

    /** Everything not used, and why. */
    public List<String> skipped() {
        return skipped;
    }

    /** Examples per role and class, for the manifest. */
    public Map<String, Map<String, Integer>> summary() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        roles.forEach((role, examples) -> {
            Map<String, Integer> perClass = new LinkedHashMap<>();
            classes().forEach(c -> perClass.put(c, 0));
            examples.forEach(e -> perClass.merge(classes().get(e.label()), 1, Integer::sum));
            out.put(role.equals("heldOut") ? "held-out (" + heldOutSplit + ")" : role, perClass);
        });
        return out;
    }
}
