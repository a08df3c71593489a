package io.lungflow.training;

import io.lungflow.imaging.GrayImage;
import io.lungflow.modelkit.metrics.Evaluation;
import io.lungflow.modelkit.metrics.EvaluationReport;
import io.lungflow.modelkit.metrics.Thresholds;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.training.arch.Architecture;
import io.lungflow.training.dataset.Dataset;
import io.lungflow.training.dataset.DatasetImporter;
import io.lungflow.training.dataset.ImportOptions;
import io.lungflow.training.graph.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One training run, start to finish: import the dataset, train, recalibrate the probabilities on the
 * tune examples, export, choose the operating threshold on the tune examples for a target
 * sensitivity, evaluate once on the held-out examples, and write the manifest with those held-out
 * figures. Nothing evaluated on was trained on, and
 * nothing the threshold was chosen on is what the figures are reported on.
 */
public final class TrainingRun {

    /**
     * @param architecture builds the network once the dataset's classes are known
     * @param modelName the model this version belongs to
     * @param version this version's name
     * @param outDir where the version is written (must not exist or be empty)
     * @param targetSensitivity sensitivity for the positive class the threshold must keep on tune data
     * @param members networks trained with consecutive seeds and averaged (an ensemble); 1 for one network
     * @param flip also average each image's mirror image (test-time flip)
     * @param recalibrate refit the probabilities on the tune examples ({@link Recalibration}) before
     *     the threshold is chosen and the held-out examples are evaluated
     */
    public record Request(Path datasetDir, ImportOptions importOptions, Function<Dataset, Architecture> architecture,
            TrainingOptions options, double targetSensitivity, String modelName, String version, Path outDir, int members, boolean flip,
            boolean recalibrate) {

        /** A request with the probabilities recalibrated on the tune examples, the default. */
        public Request(Path datasetDir, ImportOptions importOptions, Function<Dataset, Architecture> architecture,
                TrainingOptions options, double targetSensitivity, String modelName, String version, Path outDir, int members,
                boolean flip) {
            this(datasetDir, importOptions, architecture, options, targetSensitivity, modelName, version, outDir, members, flip, true);
        }
    }

    public record Report(ModelManifest manifest, EvaluationReport heldOut, List<ModelTrainer.Outcome> training, LoadedDataset data,
            Architecture architecture, double seconds) {
    }

    private TrainingRun() {
    }

    public static Report run(Request request, TrainingProgress progress, Consumer<String> log) {
        Dataset dataset = DatasetImporter.importFrom(request.datasetDir(), request.importOptions());
        LoadedDataset data = LoadedDataset.load(dataset, request.options().seed());
        log.accept("dataset " + dataset.name() + " (" + dataset.layout() + "), classes " + dataset.classes());
        data.summary().forEach((role, counts) -> log.accept("  " + role + ": " + counts));
        data.skipped().forEach(s -> log.accept("  skipped " + s));

        Architecture arch = request.architecture().apply(dataset);
        log.accept("architecture " + arch + "; " + request.options());
        int epochs = request.options().epochsFor(data.fit().size(), arch.input().width());
        if (epochs != request.options().epochs()) {
            log.accept(String.format(Locale.ROOT, "at most %d epochs: a budget of %,d examples (at %d px) over %,d fit images at %d px",
                    epochs, request.options().examplePasses(), TrainingOptions.BUDGET_SIDE, data.fit().size(), arch.input().width()));
        }
        List<String> classes = dataset.classes();
        String positive = classes.contains("covid") ? "covid" : classes.get(0);

        long started = System.nanoTime();
        List<ModelTrainer.Outcome> outcomes = new java.util.ArrayList<>();
        for (int m = 0; m < request.members(); m++) {
            if (request.members() > 1) {
                log.accept("member " + (m + 1) + " of " + request.members() + ", seed " + (request.options().seed() + m));
            }
            ModelTrainer.Outcome outcome = ModelTrainer.train(arch, classes, data.fit(), data.tune(),
                    request.options().withSeed(request.options().seed() + m), progress);
            log.accept(String.format("trained %d epochs in %.0f s; best epoch %d", outcome.history().size(), outcome.seconds(),
                    outcome.bestEpoch()));
            outcomes.add(outcome);
        }
        List<Weights> weights = outcomes.stream().map(ModelTrainer.Outcome::weights).toList();
        ModelManifest draft = ModelExporter.manifest(arch, request.modelName(), request.version(), classes, positive, 0.5, Map.of(), null);
        Recalibration recalibration = Recalibration.identity(classes.size());
        if (request.recalibrate()) {
            recalibration = fitRecalibration(arch, weights, request, draft, data, classes.size());
            log.accept(recalibration.isIdentity() ? "not recalibrated: the tune examples lack a class"
                    : "recalibrated on the " + data.tune().size() + " tune examples: " + recalibration);
        }
        ModelExporter.exportSavedModel(arch, weights, request.flip(), recalibration, request.outDir());
        double seconds = (System.nanoTime() - started) / 1e9;
        EvaluationReport heldOut;
        double threshold;
        try (SavedModelPredictor predictor = SavedModelPredictor.loadUnverified(request.outDir(), draft, request.options().threads())) {
            float[][] tuneProbabilities = predictor.predict(images(data.tune()));
            threshold = Thresholds.forSensitivity(column(tuneProbabilities, classes.indexOf(positive)),
                    isClass(data.tune(), classes.indexOf(positive)), request.targetSensitivity());
            float[][] heldOutProbabilities = predictor.predict(images(data.heldOut()));
            heldOut = Evaluation.evaluate(classes, positive, labels(data.heldOut()), heldOutProbabilities, threshold);
        }
        ModelManifest manifest = ModelExporter.manifest(arch, request.modelName(), request.version(), classes, positive, threshold,
                offlineMetrics(heldOut, data.heldOutSplit(), outcomes, request.flip(), recalibration, seconds),
                new ModelManifest.DatasetSummary(dataset.name(), data.summary()));
        try {
            EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(request.outDir().resolve("evaluation.json").toFile(), heldOut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        manifest = ModelExporter.finish(request.outDir(), manifest);
        return new Report(manifest, heldOut, outcomes, data, arch, seconds);
    }

    /** Fits the recalibration to the tune probabilities of the network(s) as exported without it. */
    private static Recalibration fitRecalibration(Architecture arch, List<Weights> weights, Request request, ModelManifest draft,
            LoadedDataset data, int classes) {
        Path uncalibrated = null;
        try {
            uncalibrated = Files.createTempDirectory("lungflow-uncalibrated-");
            ModelExporter.exportSavedModel(arch, weights, request.flip(), classes, uncalibrated);
            try (SavedModelPredictor predictor = SavedModelPredictor.loadUnverified(uncalibrated, draft, request.options().threads())) {
                return Recalibration.fit(predictor.predict(images(data.tune())), labels(data.tune()), classes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(uncalibrated);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static Map<String, Object> offlineMetrics(EvaluationReport r, String split, List<ModelTrainer.Outcome> outcomes, boolean flip,
            Recalibration recalibration, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split + " (held out)");
        m.put("n", r.n());
        m.put("threshold", r.threshold());
        putIfPresent(m, "accuracy", r.accuracy());
        putIfPresent(m, "sensitivity", r.sensitivity());
        putIfPresent(m, "specificity", r.specificity());
        putIfPresent(m, "ppv", r.ppv());
        putIfPresent(m, "npv", r.npv());
        putIfPresent(m, "f1", r.f1());
        putIfPresent(m, "auc", r.auc());
        putIfPresent(m, "ece", r.ece());
        putIfPresent(m, "accuracyAt0_5", r.atHalf().accuracy());
        putIfPresent(m, "sensitivityAt0_5", r.atHalf().sensitivity());
        putIfPresent(m, "specificityAt0_5", r.atHalf().specificity());
        putIfPresent(m, "macroAccuracy", r.macro().accuracy());
        m.put("members", outcomes.size());
        m.put("averaging", outcomes.size() + (outcomes.size() == 1 ? " network" : " networks") + (flip ? ", each with its mirror image" : ""));
        m.put("recalibration", recalibration.isIdentity() ? "none" : "on tune: " + recalibration);
        m.put("epochs", outcomes.stream().map(o -> o.history().size()).toList());
        m.put("bestEpochs", outcomes.stream().map(ModelTrainer.Outcome::bestEpoch).toList());
        m.put("trainingSeconds", Math.round(seconds));
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Double value) {
        if (value != null) {
            m.put(key, Math.round(value * 10000) / 10000.0);
        }
    }

    static List<GrayImage> images(List<Example> examples) {
        return examples.stream().map(Example::image).toList();
    }

    static int[] labels(List<Example> examples) {
        return examples.stream().mapToInt(Example::label).toArray();
    }

    private static double[] column(float[][] p, int c) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][c];
        }
        return out;
    }

    private static boolean[] isClass(List<Example> examples, int c) {
        boolean[] out = new boolean[examples.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = examples.get(i).label() == c;
        }
        return out;
    }
}
