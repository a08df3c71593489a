package io.lungflow.trainer.runs;

import io.lungflow.modelkit.metrics.EvaluationReport;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.TrainingRunEvent;
import io.lungflow.schemas.TrainingRunEvent.Status;
import io.lungflow.trainer.TrainerConfig;
import io.lungflow.trainer.messaging.TrainerEvents;
import io.lungflow.trainer.labels.ContinuousConfig;
import io.lungflow.trainer.labels.LabelledExamples;
import io.lungflow.trainer.registry.Registry;
import io.lungflow.trainer.storage.ModelStore;
import io.lungflow.training.TensorFlowRuntime;
import io.lungflow.training.TrainingProgress;
import io.lungflow.training.TrainingRecipe;
import io.lungflow.training.TrainingRun;
import io.lungflow.training.dataset.DatasetImporter;
import io.lungflow.training.dataset.DatasetKind;
import io.lungflow.training.dataset.ImportOptions;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs training one at a time (training takes every core), in order of request. A run fetches its
 * dataset, trains and evaluates it honestly (libs/training), uploads the version to S3, and only
 * then publishes it as a CANDIDATE on models.versions. A run that fails at any step says why and
 * publishes no version. Each state change is an event on training.runs.
 */
@ApplicationScoped
public class TrainingRuns {

    private static final Logger LOG = Logger.getLogger(TrainingRuns.class);
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final TrainerConfig config;
    private final ModelStore store;
    private final TrainerEvents events;
    private final Registry registry;
    private final LabelledExamples labelled;
    private final ContinuousConfig continuous;
    private final Map<String, RunState> runs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "training-run");
        t.setDaemon(true);
        return t;
    });

    TrainingRuns(TrainerConfig config, ModelStore store, TrainerEvents events, Registry registry, LabelledExamples labelled,
            ContinuousConfig continuous) {
        this.config = config;
        this.store = store;
        this.events = events;
        this.registry = registry;
        this.labelled = labelled;
        this.continuous = continuous;
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Queues a run; the answer is its first state. */
    public TrainingRunEvent start(RunRequest request, String requestedBy) {
        validateDataset(request.dataset());
        String runId = "run-" + UUID.randomUUID().toString().substring(0, 13);
        String model = request.name() != null ? request.name() : defaultName(request.dataset());
        TrainingRunEvent queued = new TrainingRunEvent(runId, Status.QUEUED, model, null, null, null, null, null, null, null, null, null,
                requestedBy, Instant.now());
        record(queued, request);
        executor.submit(() -> execute(runId, model, request, requestedBy));
        return queued;
    }

    public Optional<RunState> get(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    public List<TrainingRunEvent> list() {
        synchronized (runs) {
            List<TrainingRunEvent> out = new ArrayList<>();
            runs.values().forEach(r -> out.add(r.last()));
            Collections.reverse(out);
            return out;
        }
    }

    private void execute(String runId, String model, RunRequest request, String requestedBy) {
        Path work = null;
        String version = LocalDateTime.now().format(VERSION);
        try {
            TensorFlowRuntime.configure();
            work = Files.createDirectories(workDir().resolve(runId));
            Path dataset = dataset(runId, model, request.dataset(), work);
            ImportOptions importOptions = new ImportOptions(request.classMap() != null ? request.classMap() : Map.of(), null, seed(request));
            TrainingRecipe.Choice choice = TrainingRecipe.choose(overrides(request),
                    DatasetKind.of(DatasetImporter.importFrom(dataset, importOptions)));
            record(progress(runId, model, version, null, null, null, null, requestedBy), request);
            TrainingRun.Report report = TrainingRun.run(new TrainingRun.Request(dataset, importOptions,
                    choice.architecture(), choice.options(), request.targetSensitivity() != null ? request.targetSensitivity() : 0.95,
                    model, version, work.resolve("model"), choice.members(), choice.flip()),
                    new Progress(runId, model, version, requestedBy, request), line -> LOG.infof("%s: %s", runId, line));
            ModelManifest manifest = report.manifest();
            ModelVersion.Artifact artifact = store.upload(work.resolve("model"), manifest);
            EvaluationReport heldOut = report.heldOut();
            ModelVersion candidate = new ModelVersion(model, version, ModelStatus.CANDIDATE, null, null, artifact, manifest.classes(),
                    manifest.positiveClass(), manifest.threshold(),
                    new ModelVersion.OfflineMetrics(heldOut.n(), heldOut.accuracy(), heldOut.sensitivity(), heldOut.specificity(),
                            heldOut.auc(), heldOut.f1(), report.data().heldOutSplit()),
                    Instant.now(), "trainer", "training run " + runId + " finished");
            registry.register(candidate);
            if (request.dataset().confirmedLabels() && continuous.autoShadow()) {
                registry.transition(model, version, ModelStatus.SHADOW, null, "trained on confirmed labels (" + runId + "); shadowed automatically",
                        "trainer");
            }
            record(new TrainingRunEvent(runId, Status.SUCCEEDED, model, version, report.architecture().toString(), null, null, null, null,
                    new TrainingRunEvent.Metrics(report.data().heldOutSplit() + " (held out)", heldOut.n(), heldOut.threshold(),
                            heldOut.accuracy(), heldOut.sensitivity(), heldOut.specificity(), heldOut.auc(), heldOut.f1()),
                    artifact, null, requestedBy, Instant.now()), request);
            LOG.infof("%s published %s:%s as CANDIDATE (held-out AUC %s)", runId, model, version, heldOut.auc());
        } catch (Throwable e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.errorf(e, "%s failed; no version published: %s", runId, reason);
            record(new TrainingRunEvent(runId, Status.FAILED, model, null, null, null, null, null, null, null, null,
                    reason.length() > 4000 ? reason.substring(0, 4000) : reason, requestedBy, Instant.now()), request);
        } finally {
            ModelStore.delete(work);
        }
    }

    /** Reports each epoch as a RUNNING event. */
    private final class Progress implements TrainingProgress {
        private final String runId;
        private final String model;
        private final String version;
        private final String requestedBy;
        private final RunRequest request;

        Progress(String runId, String model, String version, String requestedBy, RunRequest request) {
            this.runId = runId;
            this.model = model;
            this.version = version;
            this.requestedBy = requestedBy;
            this.request = request;
        }

        @Override
        public void step(int epoch, int epochs, int step, int steps, double loss, double secondsElapsed) {
        }

        @Override
        public void epoch(EpochResult r) {
            record(progress(runId, model, version, r.epoch(), r.epochs(), r.fitLoss(), r.tuneLoss(), requestedBy), request);
        }
    }

    private static TrainingRunEvent progress(String runId, String model, String version, Integer epoch, Integer epochs, Double fit,
            Double tune, String requestedBy) {
        return new TrainingRunEvent(runId, Status.RUNNING, model, version, null, epoch, epochs, round(fit), round(tune), null, null, null,
                requestedBy, Instant.now());
    }

    private void record(TrainingRunEvent event, RunRequest request) {
        runs.put(event.runId(), new RunState(event, request));
        try {
            events.run(event);
        } catch (RuntimeException e) {
            LOG.warnf("Could not publish the state of %s (%s); it stays visible by REST", event.runId(), e.getMessage());
        }
    }

    private Path dataset(String runId, String model, RunRequest.DatasetRef ref, Path work) throws Exception {
        if (ref.confirmedLabels()) {
            List<String> classes = registry.state().versions().stream().filter(v -> v.model().equals(model)).findFirst()
                    .map(ModelVersion::classes).orElse(List.of());
            return labelled.snapshot(runId, model, classes, work.resolve("dataset").resolve("labels")).directory();
        }
        if (ref.path() != null) {
            return Path.of(ref.path());
        }
        String prefix = ref.prefix().endsWith("/") ? ref.prefix() : ref.prefix() + "/";
        Path target = work.resolve("dataset").resolve(Path.of(prefix).getFileName().toString());
        int files = store.download(config.datasetsBucket(), prefix, target);
        if (files == 0) {
            throw new IllegalArgumentException("No objects under s3://" + config.datasetsBucket() + "/" + prefix);
        }
        return target;
    }

    private void validateDataset(RunRequest.DatasetRef ref) {
        int given = (ref.prefix() != null ? 1 : 0) + (ref.path() != null ? 1 : 0) + (ref.confirmedLabels() ? 1 : 0);
        if (given != 1) {
            throw ProblemException.badRequest("invalid-dataset", "Give the dataset as exactly one of \"prefix\" (in bucket "
                    + config.datasetsBucket() + "), \"path\", or \"labels\": true (the confirmed labels).");
        }
        if (ref.path() != null) {
            Path path = Path.of(ref.path()).toAbsolutePath().normalize();
            boolean allowed = config.datasetRoots().orElse(List.of()).stream()
                    .anyMatch(root -> path.startsWith(Path.of(root).toAbsolutePath().normalize()));
            if (!allowed) {
                throw ProblemException.badRequest("dataset-path-not-allowed", "Local datasets must be under one of the directories in "
                        + "lungflow.trainer.dataset-roots " + config.datasetRoots().orElse(List.of()) + "; " + path + " is not.");
            }
        }
    }

    private TrainingRecipe.Overrides overrides(RunRequest r) {
        Path weights = "squeezenet".equals(r.architecture()) ? config.squeezenetWeights().map(Path::of).orElse(null) : null;
        Path weightsDir = config.weightsDir().map(Path::of).orElse(null);
        Integer threads = config.threads().orElse(null);
        return new TrainingRecipe.Overrides(r.architecture(), r.epochs(), r.batchSize(), r.learningRate(), null, null, r.inputSize(),
                weights, weightsDir, null, r.fineTune(), null, null, null, false, false, false, threads, r.members(), r.flip(), null, null,
                seed(r));
    }

    private static long seed(RunRequest r) {
        return r.seed() != null ? r.seed() : 20201;
    }

    private Path workDir() {
        return Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir") + "/lungflow-trainer"));
    }

    /** Whether a run on confirmed labels is queued or running. */
    public boolean labelRunInProgress() {
        synchronized (runs) {
            return runs.values().stream().anyMatch(r -> r.request().dataset().confirmedLabels()
                    && (r.last().status() == Status.QUEUED || r.last().status() == Status.RUNNING));
        }
    }

    private String defaultName(RunRequest.DatasetRef ref) {
        if (ref.confirmedLabels()) {
            return continuous.model();
        }
        String source = ref.path() != null ? ref.path() : ref.prefix();
        return TrainingRecipe.modelName(Path.of(source.endsWith("/") ? source.substring(0, source.length() - 1) : source));
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 10000) / 10000.0;
    }

}
