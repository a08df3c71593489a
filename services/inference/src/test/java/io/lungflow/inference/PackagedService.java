package io.lungflow.inference;

import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The packaged inference service (target/quarkus-app) run as its own process, as in production. */
public final class PackagedService {

    public static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private PackagedService() {
    }

    /** The environment production gives the service, here pointing at the test kit's broker and object store, plus {@code extra}. */
    public static Map<String, String> environment(KafkaServer kafka, ObjectStore s3, int port, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LUNGFLOW_S3_ENDPOINT", s3.endpoint(),
                "LUNGFLOW_S3_ACCESS_KEY", s3.accessKey(),
                "LUNGFLOW_S3_SECRET_KEY", s3.secretKey(),
                "QUARKUS_HTTP_PORT", Integer.toString(port)));
        env.putAll(extra);
        return env;
    }

    /** Starts the service with {@code env} and waits until it reports itself alive on {@code port}. */
    public static ChildProcess start(Path app, Map<String, String> env, Path log, int port, List<String> jvmOptions) throws Exception {
        ChildProcess process = ChildProcess.start("inference", List.of(app), jvmOptions, "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
                List.of(), env, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("inference exited:\n" + process.logTail());
            }
            try {
                HttpResponse<Void> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (live.statusCode() == 200) {
                    return process;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        process.close();
        throw new IllegalStateException("inference did not start:\n" + process.logTail());
    }
}
