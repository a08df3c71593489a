package io.lungflow.training;

import io.lungflow.imaging.Augmenter;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.arch.SqueezeNetWeights;
import io.lungflow.training.dataset.Dataset;
import io.lungflow.training.graph.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What a training run does when not told otherwise: the recipe found best on this project's data
 * (see README), each choice overridable. Shared by the command line and the trainer service.
 */
public final class TrainingRecipe {

    /** Everything a caller may set; null means the recipe's default. */
    public record Overrides(String arch, Integer epochs, Integer batchSize, Double learningRate, Double weightDecay, Integer patience,
            Integer inputSize, Path weights, List<String> fineTune, String inputScaling, Double headRate, boolean randomInit,
            boolean noAugment, boolean noClassWeights, Integer threads, Integer members, Boolean flip, Double averaging, Double labelSmoothing,
            long seed) {
    }

    /** The architecture (built once the dataset is known), training options, and averaging of a run. */
    public record Choice(Function<Dataset, Architecture> architecture, TrainingOptions options, int members, boolean flip, String note) {
    }

    private TrainingRecipe() {
    }

    /** Augmentation unless switched off: ±15° rotation, ±10% shift, ±15% zoom, horizontal flips, ±20% intensity. */
    public static Augmenter augmenter(boolean off) {
        return off ? Augmenter.none() : new Augmenter(15, 0.1, 0.15, true, 0.2);
    }

    public static Choice choose(Overrides o) {
        String arch = o.arch() == null ? null : o.arch().toLowerCase(Locale.ROOT);
        String note = null;
        if (arch == null) {
            arch = o.weights() != null && Files.isRegularFile(o.weights()) ? SqueezeNet.NAME : SmallCnn.NAME;
            if (arch.equals(SmallCnn.NAME)) {
                note = "no SqueezeNet weights found (give --weights or set LUNGFLOW_SQUEEZENET_WEIGHTS): training the cnn";
            }
        }
        return switch (arch) {
            case SmallCnn.NAME -> new Choice(d -> SmallCnn.standard(o.inputSize() != null ? o.inputSize() : 128),
                    options(o, 40, 16, 1e-3, 1e-4, 8, 0, 0), members(o), flip(o), note);
            case SqueezeNet.NAME -> {
                Set<String> fineTune = o.fineTune() != null ? Set.copyOf(o.fineTune()) : Set.of(SqueezeNet.ALL);
                SqueezeNet.InputScaling scaling = o.inputScaling() == null ? SqueezeNet.InputScaling.UNIT
                        : SqueezeNet.InputScaling.valueOf(o.inputScaling().toUpperCase(Locale.ROOT));
                Path weights = o.weights();
                yield new Choice(d -> new SqueezeNet(o.randomInit() ? new Weights() : SqueezeNetWeights.load(weights), fineTune, scaling, 0.5f,
                        o.inputSize() != null ? o.inputSize() : SqueezeNet.DEFAULT_INPUT, o.headRate() != null ? o.headRate().floatValue() : 1f),
                        options(o, 50, 16, 3e-4, 5e-4, 8, 0.99, 0.1), members(o), flip(o), note);
            }
            default -> throw new IllegalArgumentException("Unknown architecture '" + o.arch() + "'; use one of "
                    + List.of(SmallCnn.NAME, SqueezeNet.NAME));
        };
    }

    private static TrainingOptions options(Overrides o, int epochs, int batch, double lr, double decay, int patience, double averaging,
            double smoothing) {
        return new TrainingOptions(o.epochs() != null ? o.epochs() : epochs, o.batchSize() != null ? o.batchSize() : batch,
                o.learningRate() != null ? o.learningRate() : lr, o.weightDecay() != null ? o.weightDecay() : decay,
                o.patience() != null ? o.patience() : patience, o.seed(), augmenter(o.noAugment()), !o.noClassWeights(),
                o.threads() != null ? o.threads() : TensorFlowRuntime.defaultThreads(), o.averaging() != null ? o.averaging() : averaging,
                o.labelSmoothing() != null ? o.labelSmoothing() : smoothing);
    }

    private static int members(Overrides o) {
        return o.members() != null ? o.members() : 1;
    }

    private static boolean flip(Overrides o) {
        return o.flip() != null && o.flip();
    }

    /** covid-ct, covid19-xray-3class: a dataset directory's name, normalised. */
    public static String modelName(Path dataset) {
        String n = dataset.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return n.isEmpty() ? "model" : n;
    }
}
