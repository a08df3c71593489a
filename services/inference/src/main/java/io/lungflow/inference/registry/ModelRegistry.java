package io.lungflow.inference.registry;

import io.lungflow.inference.engine.LoadedModel;
import io.lungflow.inference.engine.ModelLoadException;
import io.lungflow.inference.engine.TensorFlowEngine;
import io.lungflow.inference.messaging.DeploymentEvents;
import io.lungflow.schemas.ModelDeployment;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * Which model versions serve, kept in step with models.versions. Records only say what is wanted;
 * a reconciler thread does the work off the scan path: fetch and verify the artifact, load, warm up,
 * then swap it in under a write lock, which waits for the batch in flight, so a batch is scored
 * entirely by one set of versions. A version that fails any step is reported on
 * models.deployments and in the log, and the one before keeps serving.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final ArtifactFetcher fetcher;
    private final TensorFlowEngine engine;
    private final DeploymentEvents events;
    private final String instance;

    /** Latest record of every version, per model. */
    private final Map<String, Map<String, ModelVersion>> records = new HashMap<>();
    /** What serves, per model; replaced whole, read under the read lock. */
    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
    /** Versions that failed, with the record that failed, so the same record is not retried in a loop. */
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    /** Scans waiting for an ACTIVE version, per model (for readiness). */
    private final Map<String, Integer> waiting = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final Object signal = new Object();
    private volatile boolean dirty;
    private volatile boolean running = true;
    private Thread reconciler;

    private record Failure(ModelVersion record, Instant at, boolean transientFailure, String reason) {
    }

    ModelRegistry(ArtifactFetcher fetcher, TensorFlowEngine engine, DeploymentEvents events,
            io.lungflow.inference.InferenceConfig config) {
        this.fetcher = fetcher;
        this.engine = engine;
        this.events = events;
        this.instance = config.instance();
    }

    void start(@Observes StartupEvent event) {
        reconciler = new Thread(this::reconcileLoop, "model-reconciler");
        reconciler.setDaemon(true);
        reconciler.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (reconciler != null) {
            reconciler.interrupt();
        }
        lock.writeLock().lock();
        try {
            IdentityHashMap<LoadedModel, Boolean> all = new IdentityHashMap<>();
            deployments.values().forEach(d -> slots(d).forEach(s -> all.put(s.model(), true)));
            all.keySet().forEach(LoadedModel::close);
            deployments.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Takes a record from models.versions (null value: the version was deleted). */
    public void apply(String model, String version, ModelVersion record) {
        synchronized (records) {
            Map<String, ModelVersion> versions = records.computeIfAbsent(model, m -> new LinkedHashMap<>());
            if (record == null) {
                versions.remove(version);
            } else {
                versions.put(version, record);
            }
        }
        wake();
    }

    /** What serves now, for every model, held steady until the view is closed. */
    public View view() {
        lock.readLock().lock();
        return new View(Map.copyOf(deployments), lock);
    }

    /** A consistent view of the deployments; close it when the batch is done. */
    public static final class View implements AutoCloseable {
        private final Map<String, Deployment> deployments;
        private final ReentrantReadWriteLock lock;

        View(Map<String, Deployment> deployments, ReentrantReadWriteLock lock) {
            this.deployments = deployments;
            this.lock = lock;
        }

        public Deployment deployment(String model) {
            return deployments.getOrDefault(model, Deployment.EMPTY);
        }

        @Override
        public void close() {
            lock.readLock().unlock();
        }
    }

    public Deployment deployment(String model) {
        return deployments.getOrDefault(model, Deployment.EMPTY);
    }

    /**
     * Waits until {@code model} has an ACTIVE version. Scans are never answered without one: they
     * wait, unacknowledged, and readiness says why.
     */
    public boolean awaitActive(String model, int scans) throws InterruptedException {
        if (deployment(model).active() != null) {
            return true;
        }
        waiting.merge(model, scans, Integer::sum);
        LOG.warnf("%d scan(s) wait for an ACTIVE version of model %s", scans, model);
        try {
            synchronized (signal) {
                while (running && deployment(model).active() == null) {
                    signal.wait(1000);
                }
            }
            return running;
        } finally {
            waiting.computeIfPresent(model, (m, n) -> n - scans <= 0 ? null : n - scans);
        }
    }

    /** Models with scans waiting for an ACTIVE version, and how many. */
    public Map<String, Integer> waiting() {
        return Map.copyOf(waiting);
    }

    /** Versions that could not be deployed, and why. */
    public Map<String, String> failures() {
        Map<String, String> out = new LinkedHashMap<>();
        failures.forEach((key, f) -> out.put(key, f.reason()));
        return out;
    }

    public Map<String, Deployment> deployments() {
        return Map.copyOf(deployments);
    }

    private void wake() {
        dirty = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void reconcileLoop() {
        while (running) {
            try {
                synchronized (signal) {
                    if (!dirty) {
                        signal.wait(RETRY_AFTER.toMillis());
                    }
                }
                dirty = false;
                reconcile();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Model reconciliation failed; trying again", e);
            }
        }
    }

    /** Brings every model's deployment in line with the latest records. */
    void reconcile() {
        Map<String, Map<String, ModelVersion>> snapshot;
        synchronized (records) {
            snapshot = new HashMap<>();
            records.forEach((m, v) -> snapshot.put(m, new LinkedHashMap<>(v)));
        }
        for (String model : unionOfModels(snapshot)) {
            Map<String, ModelVersion> versions = snapshot.getOrDefault(model, Map.of());
            for (Role role : Role.values()) {
                Optional<ModelVersion> wanted = wanted(versions, role);
                Optional<Deployment.Slot> current = deployment(model).slot(role);
                if (wanted.isEmpty() && current.isPresent()) {
                    swap(model, role, null, "no version is " + role + " any more");
                } else if (wanted.isPresent() && (current.isEmpty() || !same(current.get().version(), wanted.get()))) {
                    deploy(model, role, wanted.get());
                }
            }
        }
    }

    private java.util.Set<String> unionOfModels(Map<String, Map<String, ModelVersion>> snapshot) {
        java.util.Set<String> models = new java.util.TreeSet<>(snapshot.keySet());
        models.addAll(deployments.keySet());
        return models;
    }

    /** The version a role should have: the most recently changed record with that status. */
    static Optional<ModelVersion> wanted(Map<String, ModelVersion> versions, Role role) {
        ModelStatus status = ModelStatus.valueOf(role.name());
        return versions.values().stream().filter(v -> v.status() == status).max(Comparator.comparing(ModelVersion::changedAt));
    }

    private static boolean same(ModelVersion loaded, ModelVersion wanted) {
        return loaded.version().equals(wanted.version()) && loaded.artifact().equals(wanted.artifact())
                && loaded.threshold() == wanted.threshold() && java.util.Objects.equals(loaded.canaryShare(), wanted.canaryShare());
    }

    private void deploy(String model, Role role, ModelVersion wanted) {
        String key = wanted.model() + ":" + wanted.version();
        Failure failed = failures.get(key);
        if (failed != null && failed.record().equals(wanted)
                && (!failed.transientFailure() || failed.at().plus(RETRY_AFTER).isAfter(Instant.now()))) {
            return;
        }
        // Already loaded in another role (a promotion, a threshold change): move it, do not load it again.
        Optional<LoadedModel> reuse = slots(deployment(model)).stream()
                .filter(s -> s.version().version().equals(wanted.version()) && s.version().artifact().equals(wanted.artifact()))
                .map(Deployment.Slot::model).findFirst();
        LoadedModel loaded;
        if (reuse.isPresent()) {
            loaded = reuse.get();
        } else {
            try {
                ArtifactFetcher.Fetched fetched = fetcher.fetch(wanted);
                loaded = LoadedModel.load(engine, fetched.dir(), fetched.manifest());
                if (!loaded.manifest().classes().equals(wanted.classes())) {
                    loaded.close();
                    throw new ModelLoadException("the manifest's classes " + loaded.manifest().classes() + " differ from models.versions' "
                            + wanted.classes());
                }
            } catch (ModelLoadException e) {
                boolean transientFailure = e.getMessage().startsWith("downloading");
                failures.put(key, new Failure(wanted, Instant.now(), transientFailure, e.getMessage()));
                LOG.errorf("Version %s not deployed as %s, the previous one keeps serving: %s", key, role, e.getMessage());
                events.publish(new ModelDeployment(wanted.model(), wanted.version(), role, ModelDeployment.Outcome.FAILED,
                        e.getMessage(), instance, null, null, Instant.now()));
                if (transientFailure) {
                    dirty = true;
                }
                return;
            }
        }
        failures.remove(key);
        swap(model, role, new Deployment.Slot(loaded, wanted, role), null);
        LOG.infof("%s of model %s is now version %s (threshold %.4f%s)", role, model, wanted.version(), wanted.threshold(),
                role == Role.CANARY ? ", share " + wanted.canaryShare() : "");
        events.publish(new ModelDeployment(wanted.model(), wanted.version(), role, ModelDeployment.Outcome.LOADED, null, instance,
                engine.device(), reuse.isPresent() ? 0.0 : loaded.loadMillis(), Instant.now()));
    }

    /** Replaces a role's slot once no batch is using the deployment, and closes what nothing uses any more. */
    private void swap(String model, Role role, Deployment.Slot slot, String unloadReason) {
        Deployment before;
        Deployment after;
        lock.writeLock().lock();
        try {
            before = deployment(model);
            after = before.with(role, slot);
            deployments.put(model, after);
        } finally {
            lock.writeLock().unlock();
        }
        IdentityHashMap<LoadedModel, Boolean> stillUsed = new IdentityHashMap<>();
        slots(after).forEach(s -> stillUsed.put(s.model(), true));
        for (Deployment.Slot old : slots(before)) {
            if (!stillUsed.containsKey(old.model())) {
                old.model().close();
                stillUsed.put(old.model(), true);
                if (unloadReason != null || old.role() == role) {
                    events.publish(new ModelDeployment(old.version().model(), old.version().version(), old.role(),
                            ModelDeployment.Outcome.UNLOADED, unloadReason != null ? unloadReason : "replaced by " + slot.version().version(),
                            instance, null, null, Instant.now()));
                }
            }
        }
        wake();
    }

    private static java.util.List<Deployment.Slot> slots(Deployment d) {
        java.util.List<Deployment.Slot> out = new java.util.ArrayList<>();
        for (Role role : Role.values()) {
            d.slot(role).ifPresent(out::add);
        }
        return out;
    }
}
