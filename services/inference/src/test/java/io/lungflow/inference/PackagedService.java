package io.lungflow.inference;

import io.lungflow.testkit.ChildProcess;
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
