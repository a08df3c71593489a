package io.lungflow.system;

import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.Infrastructure;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PackagedService;
import io.lungflow.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four packaged services, each in its own process, on the test kit's broker, object store and
 * PostgreSQL, configured through the environment as in production.
 */
final class LungflowServices implements AutoCloseable {

    static final String PSEUDONYM_KEY = "system-test-pseudonym-key-not-a-secret-0123456789";

    final KafkaServer kafka = Infrastructure.kafka();
    final ObjectStore s3 = Infrastructure.objectStore();
    final PostgresServer postgres = Infrastructure.postgres();
    final int ingest = ChildProcess.freePort();
    final int inference = ChildProcess.freePort();
    final int results = ChildProcess.freePort();
    final int trainer = ChildProcess.freePort();
    private final List<ChildProcess> processes = new ArrayList<>();
    private final Path work;

    LungflowServices(Map<String, String> trainerSettings, Map<String, String> resultsSettings) throws Exception {
        work = Files.createTempDirectory("lungflow-system");
        Credentials.everyRoleByDefault();
        Path root = Path.of(System.getProperty("lungflow.root", "../.."));
        String natives = System.getProperty("lungflow.tensorflow.natives", root.resolve("target/tensorflow/cpu").toString());
        Map<String, String> common = new HashMap<>(Map.of(
                "LUNGFLOW_PSEUDONYM_KEY", PSEUDONYM_KEY,
                "LUNGFLOW_DB_URL", postgres.jdbcUrl(),
                "LUNGFLOW_DB_USERNAME", postgres.username(),
                "LUNGFLOW_DB_PASSWORD", postgres.password(),
                "TENSORFLOW_LIBRARY_PATH", natives,
                "TF_CPP_MIN_LOG_LEVEL", "2"));
        start("ingest", root, ingest, common, Map.of());
        start("inference", root, inference, common, Map.of("LUNGFLOW_INFERENCE_MODEL_CACHE", work.resolve("model-cache").toString()));
        start("results", root, results, common, resultsSettings);
        Map<String, String> trainerEnv = new HashMap<>(trainerSettings);
        trainerEnv.put("LUNGFLOW_TRAINER_WORK_DIR", work.resolve("trainer").toString());
        start("trainer", root, trainer, common, trainerEnv);
    }

    private void start(String name, Path root, int port, Map<String, String> common, Map<String, String> own) throws Exception {
        Map<String, String> extra = new HashMap<>(common);
        extra.putAll(own);
        Path app = PackagedService.app(root.resolve("services").resolve(name));
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: the services are packaged before this module's integration tests run");
        }
        processes.add(PackagedService.start(name, app, PackagedService.environment(kafka, s3, port, extra), work.resolve(name + ".log"), port,
                List.of("-Xmx512m", "-XX:+UseSerialGC")));
    }

    static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The last lines of every service's log, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (ChildProcess p : processes) {
            out.append("==== ").append(p.log()).append('\n').append(p.logTail()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
