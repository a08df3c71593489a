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
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("lungflow: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
        System.exit(code);
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

        @Option(names = "--arch", description = "cnn or squeezenet (default: the recipe for the dataset).")
        String arch;

        @Option(names = "--out", description = "Where to write the version (default: $LUNGFLOW_HOME/models/<name>/<version>).")
        Path out;

        @Option(names = "--name", description = "Model name (default: from the dataset).")
        String name;

        @Option(names = "--version", description = "Version name (default: the time).")
        String version;

        @Option(names = "--epochs", description = "Most epochs (early stopping may end sooner).")
        Integer epochs;

        @Option(names = "--batch-size", description = "Examples per step.")
        Integer batchSize;

        @Option(names = "--learning-rate", description = "Adam step size.")
        Double learningRate;

        @Option(names = "--weight-decay", description = "L2 penalty on trained kernels.")
        Double weightDecay;

        @Option(names = "--patience", description = "Epochs without improvement before stopping.")
        Integer patience;

        @Option(names = "--input-size", description = "Side of the square input.")
        Integer inputSize;

        @Option(names = "--weights", description = "squeezenet: the ImageNet weights (Keras HDF5); default $LUNGFLOW_SQUEEZENET_WEIGHTS.")
        Path weights;

        @Option(names = "--fine-tune", split = ",", description = "squeezenet: layers to train besides the head, e.g. fire8,fire9, or all.")
        List<String> fineTune;

        @Option(names = "--input-scaling", description = "squeezenet: caffe or unit.")
        String inputScaling;

        @Option(names = "--head-rate", description = "squeezenet: learning rate of the new head relative to the pretrained layers.")
        Double headRate;

        @Option(names = "--random-init", description = "squeezenet: ignore the pretrained weights (to measure what they bring).")
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

        @Option(names = "--averaging", description = "Decay of the moving average of the weights that is judged and kept; 0 keeps the weights themselves (default: squeezenet 0.99, cnn 0).")
        Double averaging;

        @Option(names = "--label-smoothing", description = "Share of each training target spread over all classes (default: squeezenet 0.1, cnn 0).")
        Double labelSmoothing;

        @Option(names = "--recalibrate", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Refit the probabilities on the tune images (Platt scaling; a bias per class and a temperature for more "
                        + "than two) before the threshold is chosen; --no-recalibrate keeps the network's own (default: on).")
        boolean recalibrate;

        @Override
        public Integer call() {
            TensorFlowRuntime.configure();
            TrainingRecipe.Choice choice = TrainingRecipe.choose(new TrainingRecipe.Overrides(arch, epochs, batchSize, learningRate,
                    weightDecay, patience, inputSize, weights != null ? weights : defaultWeights(), fineTune, inputScaling, headRate,
                    randomInit, noAugment, noClassWeights, threads, members, flip, averaging, labelSmoothing, data.seed));
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

        @Option(names = "--model", required = true, description = "Model version directory (SavedModel and manifest.json).")
        Path model;

        @CommandLine.Mixin
        DatasetOptions data = new DatasetOptions();

        @Option(names = "--split", description = "Split to evaluate (default: test, or val where the dataset has no test).")
        String split;

        @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
        Path json;

        @Option(names = "--threshold", description = "Operating threshold (default: the manifest's).")
        Double threshold;

        @Option(names = "--threads", description = "TensorFlow threads.")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            Dataset dataset = DatasetImporter.importFrom(data.dataset, data.importOptions());
            String chosen = split != null ? split : dataset.splits().contains("test") ? "test" : "val";
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
                System.out.println(Reports.text(report, "split '" + chosen + "' of " + dataset.name()));
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

    private static Path defaultWeights() {
        String env = System.getenv("LUNGFLOW_SQUEEZENET_WEIGHTS");
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
