package io.lungflow.inference.messaging;

import ai.djl.translate.TranslateException;
import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.imaging.GrayImage;
import io.lungflow.imaging.ImageDecoding;
import io.lungflow.imaging.Preprocessor;
import io.lungflow.imaging.UndecodableImageException;
import io.lungflow.inference.InferenceConfig;
import io.lungflow.inference.InferenceMetrics;
import io.lungflow.inference.ModelRouting;
import io.lungflow.inference.engine.PreparedBatch;
import io.lungflow.inference.registry.CanarySplit;
import io.lungflow.inference.registry.Deployment;
import io.lungflow.inference.registry.ModelRegistry;
import io.lungflow.modelkit.Decision;
import io.lungflow.platform.images.ImagesConfig;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelRef;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.ScanPredicted.Rejection;
import io.lungflow.schemas.ScanPredicted.RejectionCode;
import io.lungflow.schemas.ScanPredicted.Timings;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import java.util.List;
import java.util.Map;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Scores batches of scans.ingested. For each batch: scans out of scope are rejected at once; the
 * others wait until their model has an ACTIVE version; the objects are fetched concurrently and
 * decoded; each model version in play runs one batched forward pass (ACTIVE on the scans the
 * canary does not take, CANARY on its deterministic share, SHADOW on all); every result goes to
 * scans.predicted, and the batch is acknowledged (its offsets committed) only after the broker has
 * them all. A scan that cannot be decoded gets a rejection with the reason; one the model fails on
 * every time goes to the dead-letter topic. Nothing is dropped.
 *
 * <p>Two polled batches are in flight at once so that one is fetched and decoded while the other
 * runs its forward passes; the forward passes themselves take turns, so TensorFlow has the cores
 * to itself. Offsets are committed in order whatever order the batches finish in (the throttled
 * commit strategy commits only what precedes every unacknowledged record).
 */
@ApplicationScoped
public class ScanBatchProcessor {

    private static final Logger LOG = Logger.getLogger(ScanBatchProcessor.class);

    private final ImageLimits imageLimits;
    private final DecodeBudget decodeBudget;
    private final ModelRegistry registry;
    private final ModelVersionsConsumer versions;
    private final ModelRouting routing;
    private final PredictionEvents results;
    private final DeadLetters deadLetters;
    private final MinioClient s3;
    private final InferenceConfig config;
    private final InferenceMetrics metrics;
    private final ExecutorService fetchers;
    private final ReentrantLock forwardPasses = new ReentrantLock();

    ScanBatchProcessor(ModelRegistry registry, ModelVersionsConsumer versions, ModelRouting routing, PredictionEvents results,
            DeadLetters deadLetters, MinioClient s3, InferenceConfig config, InferenceMetrics metrics, ImagesConfig images,
            DecodeBudget decodeBudget) {
        this.imageLimits = images.limits();
        this.decodeBudget = decodeBudget;
        this.registry = registry;
        this.versions = versions;
        this.routing = routing;
        this.results = results;
        this.deadLetters = deadLetters;
        this.s3 = s3;
        this.config = config;
        this.metrics = metrics;
        this.fetchers = Executors.newFixedThreadPool(config.fetchConcurrency(), r -> {
            Thread t = new Thread(r, "scan-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        fetchers.shutdownNow();
    }

    @Incoming(Channels.SCANS_INGESTED)
    @Blocking(value = Channels.SCORING_POOL, ordered = false)
    public CompletionStage<Void> process(KafkaRecordBatch<String, ScanIngested> batch) {
        try {
            List<ScanPredicted> out = score(batch.getRecords());
            results.publishAll(out, config.brokerAckTimeout());
            return batch.ack();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return batch.nack(e);
        }
    }

    /** A scan on its way through a batch. */
    private static final class Work {
        final KafkaRecord<String, ScanIngested> record;
        final ScanIngested scan;
        final String model;
        final long started = System.nanoTime();
        double fetchMs;
        double decodeMs;
        GrayImage image;
        Rejection rejection;

        Work(KafkaRecord<String, ScanIngested> record, String model) {
            this.record = record;
            this.scan = record.getPayload();
            this.model = model;
        }
    }

    List<ScanPredicted> score(List<KafkaRecord<String, ScanIngested>> records) throws InterruptedException {
        List<ScanPredicted> out = new ArrayList<>();
        List<Work> work = new ArrayList<>();
        for (KafkaRecord<String, ScanIngested> record : records) {
            if (record.getPayload() == null) {
                deadLetters.send(record.getKey(), rawValue(record), "the event does not parse as scans.ingested v1: "
                        + header(record, "deserialization-failure-reason"), record.getPartition(), offset(record));
                continue;
            }
            Work w = new Work(record, routing.modelFor(record.getPayload()));
            if (!w.scan.scope().inScope()) {
                out.add(rejection(w, null, new Rejection(RejectionCode.OUT_OF_SCOPE, w.scan.scope().reason() == null
                        ? "the image is out of scope" : w.scan.scope().reason())));
            } else {
                work.add(w);
            }
        }
        if (work.isEmpty()) {
            return out;
        }
        versions.awaitCaughtUp();
        Map<String, Integer> perModel = new LinkedHashMap<>();
        work.forEach(w -> perModel.merge(w.model, 1, Integer::sum));
        for (Map.Entry<String, Integer> model : perModel.entrySet()) {
            if (!registry.awaitActive(model.getKey(), model.getValue())) {
                throw new InterruptedException("shutting down while waiting for a model");
            }
        }
        fetchAndDecode(work);
        try (ModelRegistry.View view = registry.view()) {
            for (String model : perModel.keySet()) {
                Deployment deployment = view.deployment(model);
                List<Work> mine = work.stream().filter(w -> w.model.equals(model)).toList();
                List<Work> decodable = mine.stream().filter(w -> w.rejection == null).toList();
                for (Work w : mine) {
                    if (w.rejection != null) {
                        out.add(rejection(w, deployment.active(), w.rejection));
                    }
                }
                double share = deployment.canaryShare();
                List<Work> toCanary = deployment.canary() == null ? List.of()
                        : decodable.stream().filter(w -> CanarySplit.inCanary(w.scan.scanId(), share)).toList();
                List<Work> toActive = decodable.stream().filter(w -> !toCanary.contains(w)).toList();
                out.addAll(predict(deployment.active(), toActive));
                if (deployment.canary() != null) {
                    out.addAll(predict(deployment.canary(), toCanary));
                }
                if (deployment.shadow() != null) {
                    out.addAll(predict(deployment.shadow(), decodable));
                }
            }
        }
        return out;
    }

    private void fetchAndDecode(List<Work> work) throws InterruptedException {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Work w : work) {
            all.add(CompletableFuture.runAsync(() -> fetchAndDecode(w), fetchers));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("fetching a batch failed", e.getCause());
        }
    }

    private void fetchAndDecode(Work w) {
        long t0 = System.nanoTime();
        byte[] bytes = fetch(w);
        w.fetchMs = (System.nanoTime() - t0) / 1e6;
        if (bytes == null) {
            return;
        }
        long t1 = System.nanoTime();
        String mediaType = w.scan.object().mediaType();
        if (!mediaType.equals("image/png") && !mediaType.equals("image/jpeg") && !mediaType.equals("application/dicom")) {
            w.rejection = new Rejection(RejectionCode.UNSUPPORTED_FORMAT, "inference cannot decode " + mediaType + " images");
            return;
        }
        try {
            w.image = ImageDecoding.decode(bytes, imageLimits, decodeBudget);
        } catch (UndecodableImageException e) {
            w.rejection = new Rejection(RejectionCode.UNDECODABLE, e.getMessage());
        }
        w.decodeMs = (System.nanoTime() - t1) / 1e6;
    }

    /** The object's bytes; null (with a rejection) if it is gone. Waits out a storage outage rather than losing the scan. */
    private byte[] fetch(Work w) {
        long backoff = 250;
        while (true) {
            try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(w.scan.object().bucket()).object(w.scan.object().key()).build())) {
                return in.readAllBytes();
            } catch (ErrorResponseException e) {
                String code = e.errorResponse().code();
                if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
                    w.rejection = new Rejection(RejectionCode.OBJECT_MISSING, "the scan's object s3://" + w.scan.object().bucket() + "/"
                            + w.scan.object().key() + " does not exist");
                    return null;
                }
                backoff = pause(w, e, backoff);
            } catch (Exception e) {
                backoff = pause(w, e, backoff);
            }
        }
    }

    private static long pause(Work w, Exception e, long backoff) {
        LOG.warnf("Cannot fetch scan %s yet (%s); retrying in %d ms", w.scan.scanId(), e.getMessage(), backoff);
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching scan " + w.scan.scanId(), ie);
        }
        return Math.min(15_000, backoff * 2);
    }

    private List<ScanPredicted> predict(Deployment.Slot slot, List<Work> scans) throws InterruptedException {
        List<ScanPredicted> out = new ArrayList<>();
        Preprocessor prep = slot.model().preprocessor();
        for (int from = 0; from < scans.size(); from += config.maxBatch()) {
            List<Work> chunk = scans.subList(from, Math.min(scans.size(), from + config.maxBatch()));
            float[][] probabilities;
            PreparedBatch prepared = prepare(prep, chunk);
            forwardPasses.lockInterruptibly();
            long t0 = System.nanoTime();
            try {
                probabilities = slot.model().predict(prepared);
            } catch (TranslateException | RuntimeException e) {
                LOG.warnf("A forward pass of %s failed (%s); scoring its %d scans one by one", slot.model().ref(), e.getMessage(), chunk.size());
                out.addAll(oneByOne(slot, chunk));
                continue;
            } finally {
                forwardPasses.unlock();
            }
            double inferenceMs = (System.nanoTime() - t0) / 1e6;
            metrics.forwardPass(slot.model().ref().name(), slot.model().ref().version(), chunk.size(), Duration.ofNanos(System.nanoTime() - t0));
            for (int i = 0; i < chunk.size(); i++) {
                out.add(prediction(chunk.get(i), slot, probabilities[i], inferenceMs));
            }
        }
        return out;
    }

    private List<ScanPredicted> oneByOne(Deployment.Slot slot, List<Work> chunk) {
        List<ScanPredicted> out = new ArrayList<>();
        for (Work w : chunk) {
            long t0 = System.nanoTime();
            try {
                float[] p = slot.model().predict(prepare(slot.model().preprocessor(), List.of(w)))[0];
                out.add(prediction(w, slot, p, (System.nanoTime() - t0) / 1e6));
            } catch (TranslateException | RuntimeException e) {
                deadLetters.send(w.record.getKey(), rawValue(w.record), "model " + slot.model().ref() + " fails on this scan: " + e.getMessage(),
                        w.record.getPartition(), offset(w.record));
            }
        }
        return out;
    }

    private static PreparedBatch prepare(Preprocessor prep, List<Work> chunk) {
        float[] data = new float[chunk.size() * prep.size()];
        for (int i = 0; i < chunk.size(); i++) {
            prep.apply(chunk.get(i).image, data, i * prep.size());
        }
        return new PreparedBatch(data, chunk.size(), prep.height(), prep.width(), prep.channels());
    }

    private ScanPredicted prediction(Work w, Deployment.Slot slot, float[] p, double inferenceMs) {
        ModelManifest manifest = slot.model().manifest();
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(manifest.classes().get(c), (double) p[c]);
        }
        double threshold = slot.version().threshold();
        String decision = Decision.decide(manifest.classes(), p, manifest.positiveClass(), threshold);
        ModelRef ref = slot.model().ref();
        Instant now = Instant.now();
        metrics.predicted(ref.name(), ref.version(), slot.role().name(), "PREDICTED");
        metrics.latency(Duration.between(w.scan.receivedAt(), now));
        return new ScanPredicted(ScanPredicted.predictionId(w.scan.scanId(), ref, slot.role()), w.scan.scanId(), ScanPredicted.Outcome.PREDICTED,
                ref, slot.role(), probabilities, decision, manifest.positiveClass(), threshold,
                new Timings(round(w.fetchMs), round(w.decodeMs), round(inferenceMs), round((System.nanoTime() - w.started) / 1e6)), null,
                w.scan.receivedAt(), now);
    }

    private ScanPredicted rejection(Work w, Deployment.Slot active, Rejection rejection) {
        ModelRef ref = active == null ? null : active.model().ref();
        String id = w.scan.scanId() + "/" + w.model + "/rejected";
        metrics.predicted(w.model, ref == null ? "none" : ref.version(), "ACTIVE", "REJECTED:" + rejection.code());
        return new ScanPredicted(id, w.scan.scanId(), ScanPredicted.Outcome.REJECTED, ref, io.lungflow.schemas.Role.ACTIVE, null, null, null,
                null, null, rejection, w.scan.receivedAt(), Instant.now());
    }

    private static Double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }

    private static byte[] rawValue(KafkaRecord<String, ScanIngested> record) {
        Header data = record.getHeaders().lastHeader("deserialization-failure-data");
        if (data != null) {
            return data.value();
        }
        return record.getPayload() == null ? null
                : io.lungflow.schemas.EventJson.mapper().valueToTree(record.getPayload()).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long offset(KafkaRecord<String, ScanIngested> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    private static String header(KafkaRecord<String, ScanIngested> record, String name) {
        Header h = record.getHeaders().lastHeader(name);
        return h == null ? "no reason given" : new String(h.value(), StandardCharsets.UTF_8);
    }

}
