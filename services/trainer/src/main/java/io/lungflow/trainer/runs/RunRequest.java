package io.lungflow.trainer.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;

/**
 * A request to train a model version. Only the dataset is required; everything else defaults to
 * the recipe found best for the dataset's kind.
 */
public record RunRequest(
        @Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+)*", message = "must be lower-case words joined by hyphens") String name,
        @NotNull(message = "is required: {\"prefix\": \"covid-ct/\"} (in the datasets bucket), {\"path\": \"...\"} or {\"labels\": true}") @Valid DatasetRef dataset,
        @Pattern(regexp = "cnn|squeezenet|mobilenet|mobilenetv2", message = "must be cnn, squeezenet, mobilenet or mobilenetv2") String architecture,
        @Min(1) @Max(500) Integer epochs,
        @Min(1) @Max(256) Integer batchSize,
        @DecimalMin("1e-7") @DecimalMax("1") Double learningRate,
        @Min(16) @Max(1024) Integer inputSize,
        List<String> fineTune,
        @Min(1) @Max(10) Integer members,
        Boolean flip,
        @DecimalMin("0.5") @DecimalMax("1") Double targetSensitivity,
        Long seed,
        Map<String, String> classMap) {

    /**
     * A dataset under a prefix of the datasets bucket, a local path under an allowed root, or
     * ({@code "labels": true}) the labels radiologists confirmed for the model's classes.
     */
    public record DatasetRef(@Pattern(regexp = "(?=.{1,512}$)(?!(.*/)?\\.{1,2}(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?",
            message = "must be a relative key prefix: segments of letters, digits, '.', '_' and '-' joined by '/', none of them '.' or '..'") String prefix, String path,
            Boolean labels) {

        public boolean confirmedLabels() {
            return Boolean.TRUE.equals(labels);
        }
    }
}
