package io.lungflow.trainer.labels;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.Topics;
import io.lungflow.schemas.TrainingRunEvent;
import io.lungflow.testkit.EventProducer;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Continuous training against a real broker, object store and PostgreSQL: confirmed labels and
 * the scans' stored images become the labelled-example index; once enough new labels arrive a run
 * starts by itself, trains on them, and its version goes to SHADOW; a run on demand refuses to
 * start from too few labels with a reason.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@TestProfile(LabelTrainingIT.Continuous.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class LabelTrainingIT {

    private static final String MODEL = "it-labels";
    private static final int LABELS = 40;

    public static class Continuous implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lungflow.trainer.continuous.model", MODEL,
                    "lungflow.trainer.continuous.min-new-labels", String.valueOf(LABELS),
                    "lungflow.trainer.continuous.check-every", "1s",
                    "lungflow.trainer.continuous.architecture", "cnn",
                    "lungflow.trainer.continuous.epochs", "3",
                    "lungflow.trainer.continuous.input-size", "32");
        }
    }

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Inject
    DataSource dataSource;

    @Test
    void enoughConfirmedLabelsTrainAVersionThatGoesToShadow() throws Exception {
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            // Too few labels so far: a run on demand says so.
            publishLabelledScans(producer, 6, 1);
            awaitIndexed(6);
            String early = given().contentType("application/json").body(Map.of()).post("/api/v1/training-runs/from-labels")
                    .then().statusCode(202).extract().path("runId");
            TrainingRunEvent refused = awaitRun(reader, early);
            assertThat(refused.status()).isEqualTo(TrainingRunEvent.Status.FAILED);
            assertThat(refused.reason()).contains("Only 6 confirmed labels").contains("at least 20");

            publishLabelledScans(producer, LABELS, 2);
        }
        TopicReader.Event started = reader.await(Topics.TRAINING_RUNS,
                e -> e.value().contains("\"requestedBy\":\"continuous training\"") && e.value().contains("\"status\":\"SUCCEEDED\""),
                Duration.ofMinutes(4));
        TrainingRunEvent done = EventJson.mapper().readValue(started.value(), TrainingRunEvent.class);
        assertThat(done.model()).isEqualTo(MODEL);
        assertThat(done.metrics().n()).isPositive();

        TopicReader.Event shadow = reader.await(Topics.MODELS_VERSIONS,
                e -> e.key().equals(MODEL + ":" + done.version()) && e.value().contains("\"status\":\"SHADOW\""), Duration.ofSeconds(30));
        ModelVersion version = EventJson.mapper().readValue(shadow.value(), ModelVersion.class);
        assertThat(version.previousStatus()).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(version.reason()).contains("trained on confirmed labels");
        given().get("/api/v1/models/" + MODEL + "/versions/" + done.version()).then().statusCode(200).body("status", equalTo("SHADOW"));
    }

    private void publishLabelledScans(EventProducer producer, int count, long seed) throws Exception {
        MinioClient client = s3.client();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket("scans").build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket("scans").build());
        }
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(label, 36, random, false), "png", png);
            byte[] bytes = png.toByteArray();
            String scanId = UUID.randomUUID().toString();
            String key = "it/" + scanId + ".png";
            client.putObject(PutObjectArgs.builder().bucket("scans").object(key).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
            ScanIngested ingested = new ScanIngested(scanId, new ScanIngested.StoredObject("scans", key, bytes.length, "0".repeat(64), "image/png"),
                    Instant.now(), new ScanIngested.Source(ScanIngested.Channel.UPLOAD, "it", null), null, "CT", null, null, null, null, null,
                    ScanIngested.Scope.in());
            producer.send(Topics.SCANS_INGESTED, scanId, ingested);
            producer.send(Topics.SCANS_LABELS, scanId, new ScanLabelled(UUID.randomUUID().toString(), scanId, label == 0 ? "covid" : "non-covid",
                    "hmac-sha256:" + "e".repeat(64), Instant.now(), ScanLabelled.Source.REVIEW_PAGE, null, null));
        }
    }

    /** The index is fed by consumers; a run on demand sees only what they have stored. */
    private void awaitIndexed(int examples) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection c = dataSource.getConnection();
                    ResultSet r = c.createStatement().executeQuery(
                            "select count(*) from labelled_example join scan_object using (scan_id)")) {
                r.next();
                return r.getInt(1) == examples;
            }
        });
    }

    private static TrainingRunEvent awaitRun(TopicReader reader, String runId) throws Exception {
        TopicReader.Event e = reader.await(Topics.TRAINING_RUNS, r -> r.key().equals(runId)
                && (r.value().contains("\"status\":\"SUCCEEDED\"") || r.value().contains("\"status\":\"FAILED\"")), Duration.ofMinutes(2));
        return EventJson.mapper().readValue(e.value(), TrainingRunEvent.class);
    }
}
