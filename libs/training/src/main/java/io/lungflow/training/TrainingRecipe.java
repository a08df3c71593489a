package io.lungflow.training;

import io.lungflow.imaging.Augmenter;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.arch.Backbone;
import io.lungflow.training.arch.InputScaling;
import io.lungflow.training.arch.MobileNet;
import io.lungflow.training.arch.MobileNetV2;
import io.lungflow.training.arch.SmallCnn;
import io.lungflow.training.arch.SqueezeNet;
import io.lungflow.training.dataset.Dataset;
import io.lungflow.training.dataset.DatasetKind;
import io.lungflow.training.graph.Weights;
import io.lungflow.training.weights.BackboneWeights;
import io.lungflow.training.weights.SavedModelWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What a training run does when not told otherwise: the recipe found best for the dataset's kind
 * on this project's data (see README), each choice overridable. Shared by the command line and the
 * trainer service.
 */
public final class TrainingRecipe {

    public static final List<String> ARCHITECTURES = List.of(SmallCnn.NAME, SqueezeNet.NAME, MobileNet.NAME, MobileNetV2.NAME);

    /**
     * Everything a caller may set; null means the recipe's default.
     *
     * @param weights the backbone's ImageNet weight file (default: its usual name in {@code weightsDir})
     * @param weightsDir where the backbones' weight files are found by their usual names
     * @param initFrom a model version directory whose trained weights this run starts from
     * @param top mobilenet: {@code cut} or {@code fresh} (see {@link MobileNet.Top}; fresh by default, the better of the two on
     *     COVID-CT: README, "Backbones, measured")
     */
    public record Overrides(String arch, Integer epochs, Integer batchSize, Double learningRate, Double weightDecay, Integer patience,
            Integer inputSize, Path weights, Path weightsDir, Path initFrom, List<String> fineTune, String inputScaling, String top,
            Double headRate, boolean randomInit, boolean noAugment, boolean noClassWeights, Integer threads, Integer members, Boolean flip,
            Double averaging, Double labelSmoothing, long seed) {
    }

    /** The architecture (built once the dataset is known), training options, and averaging of a run. */
    public record Choice(Function<Dataset, Architecture> architecture, TrainingOptions options, int members, boolean flip, String note) {
    }

    /**
     * A kind's default network and the training settings that go with it.
     *
     * @param examplePasses the fit examples a run sees in all, which keeps a large dataset within the 15 minutes a default run may
     *     take on a 2-core machine (see {@link TrainingOptions#epochsFor}); 0 for {@code epochs} on any dataset
     */
    record Default(String arch, int epochs, double learningRate, InputScaling scaling, MobileNet.Top top, int examplePasses) {
    }

    /**
     * The examples a default MobileNetV2 run sees: COVID-CT's 366 fit images for 20 epochs (its measured recipe, about 13 minutes
     * on 2 cores), and as many in all, in fewer epochs, on a larger dataset.
     */
    static final int EXAMPLE_PASSES = 7_400;

    /**
     * A dataset with more training images than this trains at {@link #LARGE_SET_INPUT} pixels instead of 224: at 224 its budget
     * would leave it fewer than 10 epochs (5 on sarscov2-ct, whose tune loss was still falling fast at 5: 0.191 against 0.136
     * after 10), while 160 pixels cost half as much per image and leave it 10.
     */
    static final int LARGE_SET_IMAGES = EXAMPLE_PASSES / 10;
    static final int LARGE_SET_INPUT = 160;

    private TrainingRecipe() {
    }

    /** Augmentation unless switched off: ±15° rotation, ±10% shift, ±15% zoom, horizontal flips, ±20% intensity. */
    public static Augmenter augmenter(boolean off) {
        return off ? Augmenter.none() : new Augmenter(15, 0.1, 0.15, true, 0.2);
    }

    /** The default recipe of each kind of dataset; README, "Model recipes", says how each was chosen. */
    static Default recipe(DatasetKind kind) {
        return switch (kind) {
            // MobileNetV2 from the ONNX ImageNet weights, 20 epochs: on COVID-CT's held-out val as good as SqueezeNet's 50
            // (README, "Backbones"), from a network whose ImageNet accuracy is far higher, in less time.
            // Larger CT sets (sarscov2-ct) see as many examples in fewer epochs.
            case CT -> new Default(MobileNetV2.NAME, 20, 3e-4, InputScaling.IMAGENET, MobileNet.Top.FRESH, EXAMPLE_PASSES);
            // X-rays carry the CT choice over (no X-ray split chose it): SqueezeNet's 50 epochs do not fit 15 minutes on
            // covid-radiography's 1,680 fit images, and MobileNetV2 matched it on the three-class set in less time (README).
            case XRAY, XRAY_3CLASS -> new Default(MobileNetV2.NAME, 20, 3e-4, InputScaling.IMAGENET, MobileNet.Top.FRESH, EXAMPLE_PASSES);
        };
    }

    public static Choice choose(Overrides o, DatasetKind kind) {
        Default recipe = recipe(kind);
        String arch = o.arch() == null ? null : o.arch().toLowerCase(Locale.ROOT);
        String note = null;
        if (arch == null) {
            arch = recipe.arch();
            if (o.initFrom() == null && !o.randomInit() && !arch.equals(SmallCnn.NAME) && BackboneWeights.file(arch, o.weights(), o.weightsDir()) == null) {
                note = "no " + arch + " ImageNet weights found (give --weights or --weights-dir, or set LUNGFLOW_WEIGHTS_DIR): training the cnn";
                arch = SmallCnn.NAME;
            }
        }
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("Unknown architecture '" + o.arch() + "'; use one of " + ARCHITECTURES);
        }
        if (o.initFrom() != null) {
            note = (note == null ? "" : note + "; ") + "starting from the trained weights of " + o.initFrom()
                    + " (the class layer made fresh where the classes differ)";
        }
        if (arch.equals(SmallCnn.NAME)) {
            int size = o.inputSize() != null ? o.inputSize() : 128;
            return new Choice(d -> o.initFrom() == null ? SmallCnn.standard(size)
                    : Architecture.startingFrom(SmallCnn.standard(size), SavedModelWeights.read(o.initFrom(), SmallCnn.standard(size),
                            d.classes().size())), options(o, 40, 16, 1e-3, 1e-4, 8, 0, 0, 0), members(o), flip(o), note);
        }
        String name = arch;
        Set<String> fineTune = o.fineTune() != null ? Set.copyOf(o.fineTune()) : Set.of(Backbone.ALL);
        InputScaling scaling = o.inputScaling() != null ? InputScaling.valueOf(o.inputScaling().toUpperCase(Locale.ROOT))
                : name.equals(recipe.arch()) ? recipe.scaling() : name.equals(MobileNetV2.NAME) ? InputScaling.IMAGENET : InputScaling.UNIT;
        MobileNet.Top top = o.top() != null ? MobileNet.Top.valueOf(o.top().toUpperCase(Locale.ROOT)) : recipe.top();
        boolean budgeted = name.equals(recipe.arch()) && o.epochs() == null && recipe.examplePasses() > 0;
        Function<Dataset, Integer> inputSize = d -> inputSize(o.inputSize(), budgeted, d.split("train").size());
        float headScale = o.headRate() != null ? o.headRate().floatValue() : 1f;
        int epochs = name.equals(recipe.arch()) ? recipe.epochs() : 50;
        double rate = name.equals(recipe.arch()) ? recipe.learningRate() : 3e-4;
        java.util.function.BiFunction<Weights, Integer, Architecture> build = (w, size) -> switch (name) {
            case SqueezeNet.NAME -> new SqueezeNet(w, fineTune, scaling, 0.5f, size, headScale);
            case MobileNet.NAME -> new MobileNet(w, fineTune, scaling, 0.5f, size, headScale, top);
            default -> new MobileNetV2(w, fineTune, scaling, 0.5f, size, headScale);
        };
        int passes = budgeted ? recipe.examplePasses() : 0;
        return new Choice(d -> {
            int size = inputSize.apply(d);
            return build.apply(startingWeights(name, o, w -> build.apply(w, size), d), size);
        }, options(o, epochs, 16, rate, 5e-4, 8, 0.99, 0.1, passes), members(o), flip(o), note);
    }

    /** The input side: the one given, or 224, or {@link #LARGE_SET_INPUT} for a budgeted run on a large training split. */
    static int inputSize(Integer given, boolean budgeted, int trainImages) {
        if (given != null) {
            return given;
        }
        return budgeted && trainImages > LARGE_SET_IMAGES ? LARGE_SET_INPUT : 224;
    }

    /** ImageNet weights, a trained model's (--init-from), or none (--random-init). */
    private static Weights startingWeights(String arch, Overrides o, Function<Weights, Architecture> build, Dataset dataset) {
        if (o.initFrom() != null) {
            return SavedModelWeights.read(o.initFrom(), build.apply(new Weights()), dataset.classes().size());
        }
        if (o.randomInit()) {
            return new Weights();
        }
        Path file = BackboneWeights.file(arch, o.weights(), o.weightsDir());
        if (file == null) {
            throw new IllegalArgumentException("No " + arch + " ImageNet weights: give --weights FILE or --weights-dir DIR holding "
                    + BackboneWeights.usualName(arch) + " (or --random-init)");
        }
        return BackboneWeights.load(arch, file);
    }

    private static TrainingOptions options(Overrides o, int epochs, int batch, double lr, double decay, int patience, double averaging,
            double smoothing, int examplePasses) {
        return new TrainingOptions(o.epochs() != null ? o.epochs() : epochs, o.batchSize() != null ? o.batchSize() : batch,
                o.learningRate() != null ? o.learningRate() : lr, o.weightDecay() != null ? o.weightDecay() : decay,
                o.patience() != null ? o.patience() : patience, o.seed(), augmenter(o.noAugment()), !o.noClassWeights(),
                o.threads() != null ? o.threads() : TensorFlowRuntime.defaultThreads(), o.averaging() != null ? o.averaging() : averaging,
                o.labelSmoothing() != null ? o.labelSmoothing() : smoothing, examplePasses);
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
