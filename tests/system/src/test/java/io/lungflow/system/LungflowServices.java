package io.lungflow.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.Infrastructure;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PackagedService;
import io.lungflow.testkit.PostgresServer;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four packaged services, each in its own process, on a broker, object store and PostgreSQL,
 * configured through the environment as in production; with what the system tests do to them
 * (train a version, move it, kill a service and start it again).
 */
final class LungflowServices implements AutoCloseable {

    static final String PSEUDONYM_KEY = "system-test-pseudonym-key-not-a-secret-0123456789";
    static final Duration WAIT = Duration.ofMinutes(3);

    final KafkaServer kafka;
    final ObjectStore s3 = Infrastructure.objectStore();
    final PostgresServer postgres = Infrastructure.postgres();
    final int ingest = ChildProcess.freePort();
    final int inference = ChildProcess.freePort();
    final int results = ChildProcess.freePort();
    final int trainer = ChildProcess.freePort();
    private final Map<String, ChildProcess> processes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final Path work;

    LungflowServices(Map<String, String> trainerSettings, Map<String, String> resultsSettings) throws Exception {
        this(Infrastructure.kafka(), trainerSettings, resultsSettings);
    }

    LungflowServices(KafkaServer kafka, Map<String, String> trainerSettings, Map<String, String> resultsSettings) throws Exception {
        this.kafka = kafka;
        work = Files.createTempDirectory("lungflow-system");
        Credentials.everyRoleByDefault();
        Path root = root();
        String natives = System.getProperty("lungflow.tensorflow.natives", root.resolve("target/tensorflow/cpu").toString());
        Map<String, String> common = new HashMap<>(Map.of(
                "LUNGFLOW_PSEUDONYM_KEY", PSEUDONYM_KEY,
                "LUNGFLOW_DB_URL", postgres.jdbcUrl(),
                "LUNGFLOW_DB_USERNAME", postgres.username(),
                "LUNGFLOW_DB_PASSWORD", postgres.password(),
                "TENSORFLOW_LIBRARY_PATH", natives,
                "TF_CPP_MIN_LOG_LEVEL", "2"));
        configure("ingest", ingest, common, Map.of("LUNGFLOW_DICOM_PORT", Integer.toString(ChildProcess.freePort())));
        configure("inference", inference, common, Map.of("LUNGFLOW_INFERENCE_MODEL_CACHE", work.resolve("model-cache").toString()));
        configure("results", results, common, resultsSettings);
        Map<String, String> trainerEnv = new HashMap<>(trainerSettings);
        trainerEnv.put("LUNGFLOW_TRAINER_WORK_DIR", work.resolve("trainer").toString());
        configure("trainer", trainer, common, trainerEnv);
        for (String name : environments.keySet()) {
            start(name);
        }
    }

    private void configure(String name, int port, Map<String, String> common, Map<String, String> own) {
        Map<String, String> extra = new HashMap<>(common);
        extra.putAll(own);
        environments.put(name, PackagedService.environment(kafka, s3, port, extra));
    }

    /** Starts the service (again), as an operator or an orchestrator would after it died. */
    void start(String name) throws Exception {
        Path app = PackagedService.app(root().resolve("services").resolve(name));
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: the services are packaged before this module's integration tests run");
        }
        int port = Integer.parseInt(environments.get(name).get("QUARKUS_HTTP_PORT"));
        processes.put(name, PackagedService.start(name, app, environments.get(name), work.resolve(name + ".log"), port,
                List.of("-Xmx512m", "-XX:+UseSerialGC")));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or acknowledged. */
    void kill(String name) {
        processes.get(name).kill();
    }

    static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    RequestSpecification trainerApi() {
        return given().baseUri(url(trainer));
    }

    RequestSpecification resultsApi() {
        return given().baseUri(url(results));
    }

    /** A small synthetic dataset (covid disks, non-covid rings) under {@code prefix} of the datasets bucket. */
    void uploadDataset(String prefix) throws Exception {
        Path local = Files.createTempDirectory("dataset");
        SyntheticImages.splitFolders(local, List.of("covid", "non-covid"), List.of("train", "val", "test"), 16, 36, 3);
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

    /** Starts a training run and waits for the version it publishes. */
    String train(String model, Map<String, Object> request) {
        return awaitRun(model, trainerApi().contentType(ContentType.JSON).body(request).post("/api/v1/training-runs").then().statusCode(202)
                .extract().path("runId"));
    }

    String awaitRun(String model, String runId) {
        String[] version = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath run = trainerApi().get("/api/v1/training-runs/" + runId).then().statusCode(200).extract().jsonPath();
            assertThat(run.getString("status")).as("run %s: %s", runId, run.getString("reason")).isIn("SUCCEEDED", "FAILED");
            assertThat(run.getString("status")).as("run %s failed: %s", runId, run.getString("reason")).isEqualTo("SUCCEEDED");
            version[0] = run.getString("version");
        });
        await().atMost(WAIT).untilAsserted(() -> trainerApi().get("/api/v1/models/" + model + "/versions/" + version[0]).then().statusCode(200));
        return version[0];
    }

    Response transition(String model, String version, Map<String, Object> body) {
        return trainerApi().contentType(ContentType.JSON).header("Authorization", "Bearer " + Credentials.token("mlops-1", "mlops")).body(body)
                .post("/api/v1/models/" + model + "/versions/" + version + "/transitions");
    }

    /** The last lines of every service's log, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (ChildProcess p : processes.values()) {
            out.append("==== ").append(p.log()).append('\n').append(p.logTail()).append('\n');
        }
        return out.toString();
    }

    private static Path root() {
        return Path.of(System.getProperty("lungflow.root", "../.."));
    }

    @Override
    public void close() {
        List<ChildProcess> all = List.copyOf(processes.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
