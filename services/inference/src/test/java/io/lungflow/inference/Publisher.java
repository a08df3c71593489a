package io.lungflow.inference;

import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.ObjectStore;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.UploadObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the other services' parts against the real broker and object store: stores a scan and
 * announces it as ingest does; uploads a model version and publishes its status as the trainer does.
 */
public final class Publisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final MinioClient s3;

    public Publisher(String bootstrapServers, ObjectStore store) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.s3 = store.client();
        for (String bucket : List.of("scans", "models")) {
            try {
                if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stores {@code bytes} and announces them; returns the scan id. */
    public String scan(byte[] bytes, String modality, ScanIngested.Scope scope) {
        return scan(bytes, modality, scope, "image/png", true);
    }

    public String scan(byte[] bytes, String modality, ScanIngested.Scope scope, String mediaType, boolean store) {
        String scanId = UUID.randomUUID().toString();
        String key = scanId + ".png";
        try {
            if (store) {
                s3.putObject(PutObjectArgs.builder().bucket("scans").object(key).stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                        .contentType(mediaType).build());
            }
            ScanIngested event = new ScanIngested(scanId,
                    new ScanIngested.StoredObject("scans", key, Math.max(1, bytes.length), ModelArtifact.sha256(bytes), mediaType),
                    Instant.now(), new ScanIngested.Source(ScanIngested.Channel.UPLOAD, "test", null), null, modality, null, null, null,
                    null, null, scope);
            send(Topics.SCANS_INGESTED, scanId, EventJson.mapper().writeValueAsString(event), ScanIngested.CE_TYPE);
            return scanId;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores {@code n} scans (cycling through {@code images}) first, then announces them all at
     * once, so that a consumer sees a backlog rather than the pace of the uploads.
     */
    public List<String> backlog(byte[][] images, int n, String modality) {
        List<ScanIngested> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] bytes = images[i % images.length];
            String scanId = UUID.randomUUID().toString();
            events.add(new ScanIngested(scanId, new ScanIngested.StoredObject("scans", scanId + ".png", bytes.length, ModelArtifact.sha256(bytes),
                    "image/png"), Instant.now(), new ScanIngested.Source(ScanIngested.Channel.UPLOAD, "test", null), null, modality, null, null,
                    null, null, null, ScanIngested.Scope.in()));
        }
        ExecutorService uploads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> stored = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] bytes = images[i % images.length];
                String key = events.get(i).object().key();
                stored.add(uploads.submit(() -> s3.putObject(PutObjectArgs.builder().bucket("scans").object(key)
                        .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/png").build())));
            }
            for (Future<?> f : stored) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            uploads.shutdown();
        }
        List<Future<?>> sent = new ArrayList<>(n);
        try {
            for (ScanIngested event : events) {
                sent.add(producer.send(record(Topics.SCANS_INGESTED, event.scanId(), EventJson.mapper().writeValueAsString(event), ScanIngested.CE_TYPE)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return events.stream().map(ScanIngested::scanId).toList();
    }

    /** Uploads the version in {@code dir} under models/<name>/<version>/ and returns where. */
    public ModelVersion.Artifact upload(Path dir, ModelManifest manifest) {
        String prefix = ModelArtifact.prefix(manifest.name(), manifest.version());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                s3.uploadObject(UploadObjectArgs.builder().bucket("models").object(prefix + dir.relativize(file).toString().replace('\\', '/'))
                        .filename(file.toString()).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new ModelVersion.Artifact("models", prefix, ModelArtifact.sha256(dir.resolve(ModelManifest.FILE_NAME)));
    }

    /** Replaces one stored file of a version (after its manifest was written): a corrupt artifact. */
    public void overwrite(ModelVersion.Artifact artifact, String file, byte[] bytes) {
        try {
            s3.putObject(PutObjectArgs.builder().bucket(artifact.bucket()).object(artifact.prefix() + file)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the version's status on models.versions, as the registry does. */
    public ModelVersion version(ModelManifest manifest, ModelVersion.Artifact artifact, ModelStatus status, Double canaryShare) {
        ModelVersion version = new ModelVersion(manifest.name(), manifest.version(), status, null, canaryShare, artifact,
                manifest.classes(), manifest.positiveClass(), manifest.threshold(), null, Instant.now(), "test", "integration test");
        try {
            send(Topics.MODELS_VERSIONS, manifest.name() + ":" + manifest.version(), EventJson.mapper().writeValueAsString(version),
                    ModelVersion.CE_TYPE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return version;
    }

    /** Sends raw bytes as a scans.ingested record: what a broken producer might send. */
    public void raw(String key, String value) {
        try {
            send(Topics.SCANS_INGESTED, key, value, ScanIngested.CE_TYPE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String topic, String key, String value, String type) throws Exception {
        producer.send(record(topic, key, value, type)).get();
    }

    private static ProducerRecord<String, String> record(String topic, String key, String value, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", "urn:lungflow:test".getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Override
    public void close() {
        producer.close();
    }
}
