package io.lungflow.training.dataset;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * @param classMap dataset class name to lungflow class name, applied before the built-in normalisation
 * @param groupPattern a regular expression whose first group, found in a file name, names the
 *     group (patient) the image belongs to; null for the layout's default
 * @param seed for splits the dataset does not give
 */
public record ImportOptions(Map<String, String> classMap, Pattern groupPattern, long seed) {

    public static ImportOptions defaults() {
        return new ImportOptions(Map.of(), null, 20201);
    }
}
