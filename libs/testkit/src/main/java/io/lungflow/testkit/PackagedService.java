package io.lungflow.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A packaged Quarkus service ({@code target/quarkus-app}) run as its own process, as in production. */
public final class PackagedService {

    private PackagedService() {
    }

    /** The runnable jar of the service whose module is {@code moduleDir}. */
    public static Path app(Path moduleDir) {
        return moduleDir.resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /**
     * The environment production gives a service, here pointing at the test kit's broker and object
     * store and trusting the test run's {@link Credentials}, plus {@code extra}.
     */
    public static Map<String, String> environment(KafkaServer kafka, ObjectStore s3, int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LUNGFLOW_S3_ENDPOINT", s3.endpoint(),
                "LUNGFLOW_S3_ACCESS_KEY", s3.accessKey(),
                "LUNGFLOW_S3_SECRET_KEY", s3.secretKey(),
                "QUARKUS_HTTP_PORT", Integer.toString(port)));
        env.putAll(Credentials.environment());
        env.putAll(extra);
        return env;
    }

    /** Starts the service with {@code env} and waits until it reports itself alive on {@code port}. */
    public static ChildProcess start(String name, Path app, Map<String, String> env, Path log, int port, List<String> jvmOptions)
            throws Exception {
        ChildProcess process = ChildProcess.start(name, List.of(app), jvmOptions, "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(),
                env, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + process.logTail());
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
        throw new IllegalStateException(name + " did not start:\n" + process.logTail());
    }
}
