package io.lungflow.training.dataset;

import java.nio.file.Path;

/**
 * One image of a dataset: its file, normalised class, the split the dataset puts it in (or null),
 * and the group it must stay with when a split is made (a patient, or the paper a slice came from).
 */
public record LabelledImage(Path file, String label, String split, String group) {

    public LabelledImage withSplit(String newSplit) {
        return new LabelledImage(file, label, newSplit, group);
    }
}
