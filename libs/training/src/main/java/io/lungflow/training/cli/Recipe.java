package io.lungflow.training.cli;

import io.lungflow.training.TrainingOptions;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.arch.SqueezeNetWeights;
import io.lungflow.training.dataset.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The default recipe for each kind of dataset: what a plain {@code train --dataset DIR} does.
 * Chosen by experiment on the shared datasets (see README); every choice can be overridden.
 */
final class Recipe {

    record Choice(Function<Dataset, Architecture> architecture, TrainingOptions options, String defaultName, int members, boolean flip) {
    }

    private Recipe() {
    }

    static Choice choose(Main.Train t) {
        String arch = t.arch == null ? null : t.arch.toLowerCase(Locale.ROOT);
        Path weights = t.weights != null ? t.weights : defaultWeights();
        if (arch == null) {
            arch = weights != null && Files.isRegularFile(weights) ? SqueezeNet.NAME : SmallCnn.NAME;
            if (arch.equals(SmallCnn.NAME)) {
                System.err.println("(note) no SqueezeNet weights found (give --weights or set LUNGFLOW_SQUEEZENET_WEIGHTS): training the cnn");
            }
        }
        String name = t.name != null ? t.name : modelName(t.data.dataset);
        return switch (arch) {
            case SmallCnn.NAME -> new Choice(d -> SmallCnn.standard(t.inputSize != null ? t.inputSize : 128),
                    Main.options(t, 40, 16, 1e-3, 1e-4, 8), name, 1, false);
            case SqueezeNet.NAME -> {
                Set<String> fineTune = t.fineTune != null ? Set.copyOf(t.fineTune) : Set.of("fire9");
                SqueezeNet.InputScaling scaling = t.inputScaling == null ? SqueezeNet.InputScaling.CAFFE
                        : SqueezeNet.InputScaling.valueOf(t.inputScaling.toUpperCase(Locale.ROOT));
                yield new Choice(d -> new SqueezeNet(t.randomInit ? new io.lungflow.training.graph.Weights() : SqueezeNetWeights.load(weights),
                        fineTune, scaling, 0.5f, t.inputSize != null ? t.inputSize : SqueezeNet.DEFAULT_INPUT,
                        t.headRate != null ? t.headRate.floatValue() : 1f),
                        Main.options(t, 30, 16, 1e-3, 5e-4, 6), name, 1, false);
            }
            default -> throw new IllegalArgumentException("Unknown architecture '" + t.arch + "'; use one of " + List.of(SmallCnn.NAME, SqueezeNet.NAME));
        };
    }

    static Path home() {
        String home = System.getenv("LUNGFLOW_HOME");
        return Path.of(home != null && !home.isBlank() ? home : ".lungflow");
    }

    private static Path defaultWeights() {
        String env = System.getenv("LUNGFLOW_SQUEEZENET_WEIGHTS");
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    /** covid-ct, covid19-xray-3class: the dataset directory's name, normalised. */
    static String modelName(Path dataset) {
        String n = dataset.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return n.isEmpty() ? "model" : n;
    }
}
