package io.lungflow.training.cli;

import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.ImageDecoding;
import io.lungflow.modelkit.ArtifactException;
import io.lungflow.modelkit.Decision;
import io.lungflow.modelkit.metrics.Evaluation;
import io.lungflow.modelkit.metrics.EvaluationReport;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.Example;
import io.lungflow.training.LoadedDataset;
import io.lungflow.training.SavedModelPredictor;
import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.TrainingRecipe;
import io.lungflow.training.TrainingRun;
import io.lungflow.training.dataset.Dataset;
import io.lungflow.training.dataset.DatasetImporter;
import io.lungflow.training.dataset.DatasetKind;
import io.lungflow.training.dataset.ImportOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lungflow train | evaluate | predict}: training and evaluation offline, no Kafka, S3 or database. */
@Command(name = "lungflow", mixinStandardHelpOptions = true, subcommands = {Main.Train.class, Main.Evaluate.class, Main.Predict.class},
        description = "Train, evaluate and try lungflow models offline.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The exit status of a command line; {@code -h}/{@code --help} anywhere prints that command's usage and runs nothing. */
    static int run(String[] args) {
        CommandLine line = new CommandLine(new Main());
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            CommandLine sub = args.length > 0 ? line.getSubcommands().get(args[0]) : null;
            (sub == null ? line : sub).usage(System.out);
            return 0;
        }
        return line
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("lungflow: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
    }

    static final class DatasetOptions {
        @Option(names = "--dataset", required = true, description = "Dataset directory (COVID-CT layout, split folders or class folders).")
        Path dataset;

        @Option(names = "--class-map", split = ",", description = "Dataset class name to lungflow class, e.g. Positive=covid,Negative=non-covid.")
        Map<String, String> classMap = new LinkedHashMap<>();

        @Option(names = "--group-pattern", description = "Regular expression whose first group, found in a file name, is its patient.")
        String groupPattern;

        @Option(names = "--seed", defaultValue = "20201", description = "Seed for every random choice (default ${DEFAULT-VALUE}).")
        long seed;

        ImportOptions importOptions() {
            return new ImportOptions(classMap, groupPattern == null ? null : Pattern.compile(groupPattern), seed);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = {
        "Train a model version on a labelled dataset, evaluate it on data it never trained on, and export it.",
        "Defaults are the recipe found best for the dataset's kind (see README): a plain 'train --dataset DIR' is recommended."})
    static final class Train implements Callable<Integer> {

        @CommandLine.Mixin
        DatasetOptions data = new DatasetOptions();

        @Option(names = "--arch", description = "cnn, squeezenet, mobilenet or mobilenetv2 (default: the recipe for the dataset's kind).")
        String arch;

        @Option(names = "--kind", description = "ct, xray or xray-3class: which recipe is the default (default: from the dataset's "
                + "name and classes).")
        String kind;

        @Option(names = "--out", description = "Where to write the version (default: $LUNGFLOW_HOME/models/<name>/<version>).")
        Path out;

        @Option(names = "--name", description = "Model name (default: from the dataset).")
        String name;

        @Option(names = "--version", description = "Version name (default: the time).")
        String version;

        @Option(names = "--epochs", description = "Most epochs (early stopping may end sooner; default: the recipe's, MobileNetV2 20 "
                + "on up to 370 fit images and fewer on a larger set, 7,400 images of 224 px seen in all (a training split of over 740 "
                + "images trains at 160 px, which count half), at least 3; another network 50, cnn 40).")
        Integer epochs;

        @Option(names = "--batch-size", description = "Examples per step.")
        Integer batchSize;

        @Option(names = "--learning-rate", description = "Adam step size.")
        Double learningRate;

        @Option(names = "--weight-decay", description = "L2 penalty on trained kernels.")
        Double weightDecay;

        @Option(names = "--patience", description = "Epochs without improvement before stopping.")
        Integer patience;

        @Option(names = "--input-size", description = "Side of the square input (default 224; 160 for a default run on a training split of over 740 images).")
        Integer inputSize;

        @Option(names = "--weights", description = "The backbone's ImageNet weights: Keras HDF5 (squeezenet, mobilenet), a "
                + "TensorFlow.js model.json (mobilenet) or ONNX (mobilenetv2); default: its usual name in --weights-dir.")
        Path weights;

        @Option(names = "--weights-dir", description = "Where the backbones' weight files are, by their usual names "
                + "(default $LUNGFLOW_WEIGHTS_DIR; ./lungflow sets ../shared/weights).")
        Path weightsDir;

        @Option(names = "--init-from", description = "Start from this model version's trained weights (same architecture; the head "
                + "is made fresh when the classes differ), e.g. one trained on another dataset.")
        Path initFrom;

        @Option(names = "--fine-tune", split = ",", description = "Backbones: layers to train besides the head, by name prefix "
                + "(e.g. fire8,fire9 or conv_pw_13), or all (default).")
        List<String> fineTune;

        @Option(names = "--input-scaling", description = "Backbones: caffe, unit (-1..1) or imagenet (mean and standard deviation).")
        String inputScaling;

        @Option(names = "--top", description = "mobilenet: cut (end at conv_dw_13) or fresh (train the last pointwise layer, "
                + "whose ImageNet kernel the shared copy lacks, from scratch).")
        String top;

        @Option(names = "--head-rate", description = "Backbones: learning rate of the new head relative to the pretrained layers.")
        Double headRate;

        @Option(names = "--random-init", description = "Backbones: ignore the pretrained weights (to measure what they bring).")
        boolean randomInit;

        @Option(names = "--no-augment", description = "Train without augmentation.")
        boolean noAugment;

        @Option(names = "--no-class-weights", description = "Do not weigh classes by inverse frequency.")
        boolean noClassWeights;

        @Option(names = "--target-sensitivity", defaultValue = "0.95",
                description = "Sensitivity for the positive class the operating threshold keeps on tune data (default ${DEFAULT-VALUE}).")
        double targetSensitivity;

        @Option(names = "--threads", description = "TensorFlow threads (default: the machine's processors).")
        Integer threads;

        @Option(names = "--members", description = "Networks to train with consecutive seeds and average (an ensemble).")
        Integer members;

        @Option(names = "--flip", negatable = true, description = "Average each image with its mirror image when serving (--no-flip to not).")
        Boolean flip;

        @Option(names = "--averaging", description = "Decay of the moving average of the weights that is judged and kept; 0 keeps the weights themselves (default: the ImageNet backbones 0.99, cnn 0).")
        Double averaging;

        @Option(names = "--label-smoothing", description = "Share of each training target spread over all classes (default: the ImageNet backbones 0.1, cnn 0).")
        Double labelSmoothing;

        @Option(names = "--recalibrate", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Refit the probabilities on the tune images (Platt scaling; a bias per class and a temperature for more "
                        + "than two) before the threshold is chosen; --no-recalibrate keeps the network's own (default: on).")
        boolean recalibrate;

        @Override
        public Integer call() {
            TensorFlowRuntime.configure();
            DatasetKind datasetKind = kind != null ? DatasetKind.parse(kind)
                    : DatasetKind.of(DatasetImporter.importFrom(data.dataset, data.importOptions()));
            TrainingRecipe.Choice choice = TrainingRecipe.choose(new TrainingRecipe.Overrides(arch, epochs, batchSize, learningRate,
                    weightDecay, patience, inputSize, weights != null ? weights : squeezeNetWeights(arch), weightsDir != null ? weightsDir
                    : environmentPath("LUNGFLOW_WEIGHTS_DIR"), initFrom, fineTune, inputScaling, top, headRate, randomInit, noAugment,
                    noClassWeights, threads, members, flip, averaging, labelSmoothing, data.seed), datasetKind);
            System.err.println("recipe for " + datasetKind.name().toLowerCase(Locale.ROOT).replace('_', '-') + " datasets");
            if (choice.note() != null) {
                System.err.println("(note) " + choice.note());
            }
            String modelName = name != null ? name : TrainingRecipe.modelName(data.dataset);
            String versionName = version != null ? version : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path target = out != null ? out : home().resolve("models").resolve(modelName).resolve(versionName);
            PrintStream err = System.err;
            TrainingRun.Report report = TrainingRun.run(
                    new TrainingRun.Request(data.dataset, data.importOptions(), choice.architecture(), choice.options(), targetSensitivity,
                            modelName, versionName, target, choice.members(), choice.flip(), recalibrate),
                    new ConsoleProgress(err, System.console() != null), err::println);
            System.out.println();
            System.out.println(Reports.text(report.heldOut(), "held-out split '" + report.data().heldOutSplit() + "'"));
            System.out.printf(Locale.ROOT, "training time %s; model written to %s%n", ConsoleProgress.duration(report.seconds()), target);
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate a model version on a dataset split: accuracy, sensitivity, specificity, PPV, NPV, F1, AUC, ECE, confusion matrix.")
    static final class Evaluate implements Callable<Integer> {

        private static final String ALL = "all";

        @Option(names = "--model", required = true, description = "Model version directory (SavedModel and manifest.json).")
        Path model;

        @CommandLine.Mixin
        DatasetOptions data = new DatasetOptions();

        @Option(names = "--split", description = {"Split to evaluate, as training made them (train, val or test; the same --seed "
                + "makes the same split).", "Default: every image of a folder of class folders or of a lone test split; test, or val "
                + "where there is no test, of a dataset that gives its splits."})
        String split;

        @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
        Path json;

        @Option(names = "--threshold", description = "Operating threshold (default: the manifest's).")
        Double threshold;

        @Option(names = "--threads", description = "TensorFlow threads.")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            Dataset given = DatasetImporter.importAsGiven(data.dataset, data.importOptions());
            java.util.Set<String> givenSplits = new java.util.HashSet<>();
            given.images().forEach(i -> givenSplits.add(i.split()));
            Dataset dataset;
            String chosen;
            String what;
            if (split != null) {
                dataset = DatasetImporter.importFrom(data.dataset, data.importOptions());
                chosen = split;
                what = "split '" + split + "' of " + dataset.name();
            } else if (givenSplits.equals(java.util.Collections.singleton(null)) || givenSplits.equals(java.util.Set.of("test"))) {
                // A folder to score as it is: every image in it.
                dataset = given.withImages(given.images().stream().map(i -> i.withSplit(ALL)).toList(), List.of());
                chosen = ALL;
                what = "every image of " + dataset.name();
            } else {
                dataset = DatasetImporter.importFrom(data.dataset, data.importOptions());
                chosen = dataset.splits().contains("test") ? "test" : "val";
                what = "split '" + chosen + "' of " + dataset.name();
            }
            if (!dataset.splits().contains(chosen)) {
                throw new IllegalArgumentException("The dataset has no split '" + chosen + "'; it has " + dataset.splits());
            }
            List<String> skipped = new ArrayList<>(dataset.skipped());
            List<Example> examples = LoadedDataset.decodeSplit(dataset, chosen, skipped);
            skipped.forEach(s -> System.err.println("skipped " + s));
            try (SavedModelPredictor predictor = SavedModelPredictor.load(model, threads == null ? TensorFlowRuntime.defaultThreads() : threads)) {
                ModelManifest manifest = predictor.manifest();
                int[] labels = new int[examples.size()];
                for (int i = 0; i < labels.length; i++) {
                    String label = dataset.classes().get(examples.get(i).label());
                    labels[i] = manifest.classes().indexOf(label);
                    if (labels[i] < 0) {
                        throw new IllegalArgumentException("The dataset's class '" + label + "' is not one of the model's " + manifest.classes()
                                + "; map it with --class-map");
                    }
                }
                float[][] probabilities = predictor.predict(examples.stream().map(Example::image).toList());
                EvaluationReport report = Evaluation.evaluate(manifest.classes(), manifest.positiveClass(), labels, probabilities,
                        threshold != null ? threshold : manifest.threshold());
                System.out.println(Reports.text(report, what));
                if (json != null) {
                    EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
                    System.out.println("metrics written to " + json);
                }
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Print class probabilities and the decision for image files.")
    static final class Predict implements Callable<Integer> {

        @Option(names = "--model", required = true, description = "Model version directory.")
        Path model;

        @Parameters(arity = "1..*", description = "PNG or JPEG files.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            try (SavedModelPredictor predictor = SavedModelPredictor.load(model, TensorFlowRuntime.defaultThreads())) {
                ModelManifest m = predictor.manifest();
                int failures = 0;
                for (Path file : files) {
                    GrayImage image;
                    try {
                        image = ImageDecoding.decode(Files.readAllBytes(file));
                    } catch (Exception e) {
                        System.out.println(file + "  cannot be read: " + e.getMessage());
                        failures++;
                        continue;
                    }
                    float[] p = predictor.predict(List.of(image))[0];
                    StringBuilder line = new StringBuilder(file + "  " + Decision.decide(m.classes(), p, m.positiveClass(), m.threshold()));
                    for (int c = 0; c < p.length; c++) {
                        line.append(String.format(Locale.ROOT, "  %s=%.4f", m.classes().get(c), p[c]));
                    }
                    System.out.println(line);
                }
                return failures == 0 ? 0 : 1;
            } catch (ArtifactException e) {
                throw new IllegalArgumentException("The model at " + model + " is not usable: " + e.getMessage(), e);
            }
        }
    }

    static Path home() {
        String home = System.getenv("LUNGFLOW_HOME");
        return Path.of(home != null && !home.isBlank() ? home : ".lungflow");
    }

    /** $LUNGFLOW_SQUEEZENET_WEIGHTS, which names SqueezeNet's file, where the run is a SqueezeNet's. */
    private static Path squeezeNetWeights(String arch) {
        return arch != null && arch.equalsIgnoreCase(io.lungflow.training.arch.SqueezeNet.NAME) ? environmentPath("LUNGFLOW_SQUEEZENET_WEIGHTS")
                : null;
    }

    private static Path environmentPath(String variable) {
        String env = System.getenv(variable);
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
