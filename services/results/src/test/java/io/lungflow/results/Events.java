package io.lungflow.results;

import io.lungflow.schemas.ModelRef;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.EventProducer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plays ingest, inference and the trainer: sends their events as they would, to the real broker. */
final class Events implements AutoCloseable {

    static final String POSITIVE = "covid";
    static final List<String> CLASSES = List.of("covid", "non-covid");

    private final EventProducer producer;

    Events(String bootstrapServers) {
        producer = new EventProducer(bootstrapServers);
    }

    ScanIngested ingested(String study, Instant receivedAt) {
        return ingested(study, receivedAt, "png", "image/png");
    }

    /** A scan announced as stored at {@code it/<scan id>.<extension>}, of {@code mediaType}. */
    ScanIngested ingested(String study, Instant receivedAt, String extension, String mediaType) {
        String scanId = UUID.randomUUID().toString();
        ScanIngested e = new ScanIngested(scanId,
                new ScanIngested.StoredObject("scans", "it/" + scanId + "." + extension, 100, "a".repeat(64), mediaType), receivedAt,
                new ScanIngested.Source(ScanIngested.Channel.UPLOAD, "results-it", null), new ScanIngested.ImageInfo(64, 64, null), "CT",
                "CHEST", null, study, null, null, ScanIngested.Scope.in());
        send(Topics.SCANS_INGESTED, scanId, e);
        return e;
    }

    ScanPredicted predicted(String scanId, String model, String version, Role role, double covid) {
        ModelRef ref = new ModelRef(model, version);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        probabilities.put("covid", covid);
        probabilities.put("non-covid", 1 - covid);
        ScanPredicted p = new ScanPredicted(ScanPredicted.predictionId(scanId, ref, role), scanId, ScanPredicted.Outcome.PREDICTED, ref, role,
                probabilities, covid >= 0.5 ? "covid" : "non-covid", POSITIVE, 0.5, null, null, Instant.now(), Instant.now());
        send(Topics.SCANS_PREDICTED, scanId, p);
        return p;
    }

    ScanLabelled labelled(String scanId, String label, Instant at) {
        ScanLabelled l = new ScanLabelled(UUID.randomUUID().toString(), scanId, label, "hmac-sha256:" + "b".repeat(64), at,
                ScanLabelled.Source.IMPORT, null, null);
        send(Topics.SCANS_LABELS, scanId, l);
        return l;
    }

    ModelVersion version(String model, String version, ModelStatus status) {
        ModelVersion v = new ModelVersion(model, version, status, null, null, new ModelVersion.Artifact("models", "models/" + model + "/" + version + "/",
                "c".repeat(64)), CLASSES, POSITIVE, 0.5, null, Instant.now(), "results-it", "test");
        send(Topics.MODELS_VERSIONS, v.ref().key(), v);
        return v;
    }

    void send(String topic, String key, Object payload) {
        producer.send(topic, key, payload);
    }

    void sendRaw(String topic, String key, String value) {
        producer.sendRaw(topic, key, value);
    }

    @Override
    public void close() {
        producer.close();
    }
}
