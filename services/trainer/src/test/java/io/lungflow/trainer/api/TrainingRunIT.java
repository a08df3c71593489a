package io.lungflow.trainer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.modelkit.ModelArtifact;
import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.schemas.Topics;
import io.lungflow.schemas.TrainingRunEvent;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.UploadObjectArgs;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A training run over REST against a real broker and object store: it trains on a dataset in S3,
 * uploads a verifiable model version, and publishes it as a CANDIDATE; a run that fails publishes
 * nothing and says why; a bad request is a problem document.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class TrainingRunIT {

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Test
    void aRunTrainsUploadsAndPublishesACandidate() throws Exception {
        uploadDataset("synthetic/");
        String runId = given().contentType("application/json")
                .body(Map.of("name", "it-synthetic", "dataset", Map.of("prefix", "synthetic/"), "architecture", "cnn", "epochs", 3,
                        "inputSize", 32))
                .post("/api/v1/training-runs")
                .then().statusCode(202).header("Location", notNullValue()).body("status", equalTo("QUEUED"))
                .extract().path("runId");

        TrainingRunEvent done = awaitRun(runId);
        assertThat(done.status()).as("run ended %s: %s", done.status(), done.reason()).isEqualTo(TrainingRunEvent.Status.SUCCEEDED);
        assertThat(done.metrics().n()).isEqualTo(24);
        assertThat(done.metrics().split()).isEqualTo("test (held out)");

        TopicReader.Event published = new TopicReader(kafka.bootstrapServers()).await(Topics.MODELS_VERSIONS,
                e -> e.key().equals("it-synthetic:" + done.version()), Duration.ofSeconds(30));
        assertThat(published.header("ce_type")).isEqualTo(ModelVersion.CE_TYPE);
        assertThat(new SchemaValidator().validate(Contract.MODEL_VERSION, EventJson.mapper().readTree(published.value()))).isEmpty();
        ModelVersion candidate = EventJson.mapper().readValue(published.value(), ModelVersion.class);
        assertThat(candidate.status()).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(candidate.offlineMetrics().auc()).isEqualTo(done.metrics().auc());
        assertThat(candidate.artifact()).isEqualTo(done.artifact());

        Path copy = download(candidate.artifact());
        ModelManifest manifest = ModelArtifact.readManifest(copy);
        ModelArtifact.verify(copy, manifest);
        assertThat(ModelArtifact.sha256(copy.resolve("manifest.json"))).isEqualTo(candidate.artifact().manifestSha256());
        assertThat(manifest.threshold()).isEqualTo(candidate.threshold());

        List<TrainingRunEvent> states = new TopicReader(kafka.bootstrapServers()).readAll(Topics.TRAINING_RUNS).stream()
                .filter(e -> e.key().equals(runId)).map(TrainingRunIT::parse).toList();
        assertThat(states).extracting(TrainingRunEvent::status).startsWith(TrainingRunEvent.Status.QUEUED)
                .contains(TrainingRunEvent.Status.RUNNING).endsWith(TrainingRunEvent.Status.SUCCEEDED);
        assertThat(states).anySatisfy(s -> assertThat(s.epoch()).isEqualTo(3));
    }

    @Test
    void aRunThatFailsSaysWhyAndPublishesNothing() {
        String runId = given().contentType("application/json")
                .body(Map.of("name", "it-nothing", "dataset", Map.of("prefix", "no-such-dataset/")))
                .post("/api/v1/training-runs").then().statusCode(202).extract().path("runId");
        TrainingRunEvent done = awaitRun(runId);
        assertThat(done.status()).isEqualTo(TrainingRunEvent.Status.FAILED);
        assertThat(done.reason()).contains("No objects under s3://datasets/no-such-dataset/");
        assertThat(new TopicReader(kafka.bootstrapServers()).readAll(Topics.MODELS_VERSIONS))
                .noneMatch(e -> e.key().startsWith("it-nothing:"));
    }

    @Test
    void badRequestsAreProblems() {
        given().contentType("application/json").body(Map.of("dataset", Map.of("prefix", "x/"), "architecture", "vgg"))
                .post("/api/v1/training-runs").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid-fields")).body("errors[0].field", equalTo("architecture"));
        given().contentType("application/json").body(Map.of("name", "x"))
                .post("/api/v1/training-runs").then().statusCode(400).body("errors[0].field", equalTo("dataset"));
        given().contentType("application/json").body(Map.of("dataset", Map.of("path", "/etc")))
                .post("/api/v1/training-runs").then().statusCode(400).body("code", equalTo("dataset-path-not-allowed"));
        for (String prefix : List.of("../models/", "covid-ct/../../etc/", "/abs/", "a\\b/", "./")) {
            given().contentType("application/json").body(Map.of("dataset", Map.of("prefix", prefix))).post("/api/v1/training-runs")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid-fields"))
                    .body("errors[0].field", org.hamcrest.Matchers.endsWith("prefix"));
        }
        given().get("/api/v1/training-runs/run-unknown").then().statusCode(404).body("code", equalTo("run-not-found"));
    }

    private TrainingRunEvent awaitRun(String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            TrainingRunEvent state = given().get("/api/v1/training-runs/" + runId).then().statusCode(200).extract().as(TrainingRunEvent.class);
            if (state.status() == TrainingRunEvent.Status.SUCCEEDED || state.status() == TrainingRunEvent.Status.FAILED) {
                return state;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    private void uploadDataset(String prefix) throws Exception {
        Path local = Files.createTempDirectory("dataset");
        SyntheticImages.splitFolders(local, List.of("covid", "non-covid"), List.of("train", "val", "test"), 12, 36, 3);
        MinioClient client = s3.client();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket("datasets").build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket("datasets").build());
        }
        try (Stream<Path> files = Files.walk(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                client.uploadObject(UploadObjectArgs.builder().bucket("datasets").object(prefix + local.relativize(f)).filename(f.toString()).build());
            }
        }
    }

    private Path download(ModelVersion.Artifact artifact) throws Exception {
        Path dir = Files.createTempDirectory("downloaded");
        MinioClient client = s3.client();
        for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(artifact.bucket()).prefix(artifact.prefix()).recursive(true).build())) {
            String name = r.get().objectName();
            Path target = dir.resolve(name.substring(artifact.prefix().length()));
            Files.createDirectories(target.getParent());
            client.downloadObject(DownloadObjectArgs.builder().bucket(artifact.bucket()).object(name).filename(target.toString()).build());
        }
        return dir;
    }

    private static TrainingRunEvent parse(TopicReader.Event e) {
        try {
            return EventJson.mapper().readValue(e.value(), TrainingRunEvent.class);
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
