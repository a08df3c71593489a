package io.lungflow.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.testkit.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The README's way to run lungflow, as a user would on this machine: {@code ./lungflow demo}
 * brings the stack up (all healthy) and completes; a PNG posted to ingest with the PACS API key
 * that up made gets a prediction visible through results to a viewer's token from
 * {@code ./lungflow token viewer}, and a bad or a viewer's token may not upload; {@code ./lungflow
 * audit verify} finds the audit chain whole, and broken once a record is changed behind the
 * database's append-only trigger; {@code ./lungflow down} leaves none of its processes running. Ports
 * and the state directory are the test's own, through the documented environment variables.
 */
class LocalStackIT {

    private static final Path ROOT = Path.of(System.getProperty("lungflow.root", "../..")).toAbsolutePath().normalize();

    @Test
    void demoRunsEndToEndAndDownStopsEverything() throws Exception {
        Path home = Files.createTempDirectory("lungflow-home");
        Map<String, String> env = new HashMap<>();
        env.put("LUNGFLOW_HOME", home.toString());
        int ingest = ChildProcess.freePort();
        int results = ChildProcess.freePort();
        for (String name : List.of("KAFKA", "KAFKA_CONTROLLER", "S3", "POSTGRES", "INFERENCE", "TRAINER", "DICOM")) {
            env.put("LUNGFLOW_" + name + "_PORT", Integer.toString(ChildProcess.freePort()));
        }
        env.put("LUNGFLOW_INGEST_PORT", Integer.toString(ingest));
        env.put("LUNGFLOW_RESULTS_PORT", Integer.toString(results));
        try {
            String demo = run(env, Duration.ofMinutes(12), "demo", "--scans", "20");
            assertThat(demo).contains("lungflow is up").contains("4/5 Predictions").contains("demo complete");
            assertThat(demo).containsPattern("live covid-ct \\S+ ACTIVE on 20 confirmed labels");

            String status = run(env, Duration.ofMinutes(1), "status");
            for (String service : List.of("ingest", "inference", "results", "trainer")) {
                assertThat(status).containsPattern("(?m)^" + service + "\\s+\\d+\\s+\\d+\\s+ready$");
            }

            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(0, 48, new Random(5), false), "png", png);
            // The PACS client's API key that up made; a bearer token for a viewer from ./lungflow token.
            String apiKey = Files.readString(home.resolve("security/pacs.api-key")).strip();
            String viewer = run(env, Duration.ofMinutes(1), "token", "viewer").strip();
            assertThat(viewer).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            given().baseUri("http://127.0.0.1:" + ingest).header("Authorization", "Bearer not-a-token").contentType("image/png")
                    .body(png.toByteArray()).post("/api/v1/scans").then().statusCode(401).contentType("application/problem+json");
            given().baseUri("http://127.0.0.1:" + ingest).header("Authorization", "Bearer " + viewer).contentType("image/png")
                    .body(png.toByteArray()).post("/api/v1/scans").then().statusCode(403).contentType("application/problem+json");
            String scanId = given().baseUri("http://127.0.0.1:" + ingest).header("X-API-Key", apiKey).contentType("image/png")
                    .header("Lungflow-Modality", "CT").body(png.toByteArray()).post("/api/v1/scans").then().statusCode(202).extract().path("scanId");
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> given().baseUri("http://127.0.0.1:" + results)
                    .header("Authorization", "Bearer " + viewer).get("/api/v1/scans/" + scanId)
                    .then().statusCode(200).body("status", equalTo("PREDICTED")));

            // The audit trail of all that is whole; a record changed behind the database's back is found.
            assertThat(run(env, Duration.ofMinutes(1), "audit", "verify")).containsPattern("audit chain intact: \\d+ records");
            String db = "jdbc:postgresql://127.0.0.1:" + env.get("LUNGFLOW_POSTGRES_PORT") + "/lungflow_results";
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(db, "postgres", "postgres"); java.sql.Statement st = c.createStatement()) {
                st.execute("alter table audit_record disable trigger audit_record_no_update");
                st.executeUpdate("update audit_record set details = details || ' ' where seq = 5");
                st.execute("alter table audit_record enable trigger audit_record_no_update");
            }
            assertThat(run(env, Duration.ofMinutes(1), 1, "audit", "verify")).contains("audit chain BROKEN at record 5");
        } finally {
            List<Long> started = pids(home.resolve("pids"));
            String down = run(env, Duration.ofMinutes(2), "down");
            assertThat(down).contains("lungflow is down");
            assertThat(started).as("processes ./lungflow up started").hasSizeGreaterThanOrEqualTo(7);
            for (long pid : started) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d after down", pid).isFalse();
            }
        }
    }

    private static List<Long> pids(Path dir) throws Exception {
        List<Long> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                    out.add(Long.parseLong(Files.readString(f).strip()));
                }
            }
        }
        return out;
    }

    static String run(Map<String, String> env, Duration timeout, String... args) throws Exception {
        return run(env, timeout, 0, args);
    }

    /** Runs {@code ./lungflow args} in the checkout, expecting exit status {@code exit}; its output, which it also prints. */
    static String run(Map<String, String> env, Duration timeout, int exit, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("lungflow").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path output = Files.createTempFile("lungflow-" + args[0], ".log");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./lungflow " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        Files.delete(output);
        System.out.println("./lungflow " + String.join(" ", args) + " →\n" + text);
        assertThat(process.exitValue()).as("./lungflow %s exit status; output:%n%s", String.join(" ", args), text).isEqualTo(exit);
        return text;
    }
}
