package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model version (schema {@code model.manifest.v1}): what the model expects
 * and how to prepare an image for it, so that training and serving preprocess identically.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        String format,
        String name,
        String version,
        Instant createdAt,
        String architecture,
        Framework framework,
        List<String> classes,
        String positiveClass,
        Input input,
        Preprocessing preprocessing,
        Signature signature,
        double threshold,
        Map<String, Object> offlineMetrics,
        DatasetSummary dataset,
        List<FileEntry> files) {

    public static final String FORMAT = "lungflow-model/v1";
    public static final String FILE_NAME = "manifest.json";

    public record Framework(String name, String version) {
    }

    public record Input(int height, int width, int channels) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Preprocessing(String colorMode, String resize, Normalization normalization, Window ctWindow) {
    }

    /** {@code x' = (x * scale - mean[c]) / std[c]} for a pixel value {@code x} in 0..255. */
    public record Normalization(double scale, List<Double> mean, List<Double> std) {
    }

    public record Window(double center, double width) {
    }

    public record Signature(String name, String inputTensor, String outputTensor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetSummary(String name, Map<String, Map<String, Integer>> splits) {
    }

    public record FileEntry(String path, String sha256, long sizeBytes) {
    }
}
