package io.lungflow.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.testkit.Credentials;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of a stream of scans (1,000 by default; {@code -Dlungflow.faults.scans=N}),
 * uploaded the way a PACS gateway does (a 503 or a refused connection is sent again): inference,
 * results and the trainer are killed with SIGKILL and started again, the broker is killed and
 * restarted, the object store and PostgreSQL are each away for 30 s, and the ACTIVE version's
 * artifact is deleted from S3 while it serves (and inference is killed and restarted after that).
 * Afterwards every accepted scan has exactly one ACTIVE prediction in PostgreSQL, none is missing,
 * and no service needed more than being started again. The counts are printed.
 */
class FaultToleranceIT {

    private static final String MODEL = "covid-ct";
    private static final int SCANS = Integer.getInteger("lungflow.faults.scans", 1000);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();

    @Test
    void everyAcceptedScanIsPredictedExactlyOnceThroughKillsRestartsAndOutages() throws Exception {
        Path dir = Files.createTempDirectory("lungflow-faults");
        try (KafkaProcess broker = KafkaProcess.plaintext(dir.resolve("kafka"));
                LungflowServices services = new LungflowServices(broker, Map.of(), Map.of())) {
            try {
                run(broker, services);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + services.logs(), e);
            }
        }
    }

    private void run(KafkaProcess broker, LungflowServices services) throws Exception {
        services.uploadDataset("synthetic-ct/");
        String v1 = services.train(MODEL, Map.of("name", MODEL, "dataset", Map.of("prefix", "synthetic-ct/"), "architecture", "cnn", "epochs", 15,
                "inputSize", 32));
        services.transition(MODEL, v1, Map.of("status", "ACTIVE", "reason", "fault test")).then().statusCode(200);
        await().atMost(LungflowServices.WAIT).untilAsserted(() -> given().baseUri(LungflowServices.url(services.inference)).get("/api/v1/deployments")
                .then().statusCode(200).body("serving.find { it.role == 'ACTIVE' }.version", equalTo(v1)));

        Thread uploader = new Thread(() -> upload(services), "uploader");
        uploader.start();
        List<String> log = new ArrayList<>();
        at(SCANS / 10, "kill -9 inference, start it again", log, () -> restart(services, "inference"));
        at(SCANS / 4, "kill -9 results, start it again", log, () -> restart(services, "results"));
        at(SCANS * 35 / 100, "kill -9 trainer, start it again", log, () -> {
            restart(services, "trainer");
            services.trainerApi().get("/api/v1/models/" + MODEL + "/versions/" + v1).then().statusCode(200).body("status", equalTo("ACTIVE"));
        });
        at(SCANS * 45 / 100, "kill -9 the broker, start it again", log, () -> {
            broker.kill();
            Thread.sleep(3000);
            broker.start();
        });
        at(SCANS * 6 / 10, "object store away for 30 s", log, () -> {
            services.s3.suspend();
            Thread.sleep(OUTAGE.toMillis());
            services.s3.resume();
        });
        at(SCANS * 75 / 100, "PostgreSQL away for 30 s", log, () -> {
            services.postgres.suspend();
            Thread.sleep(OUTAGE.toMillis());
            services.postgres.resume();
        });
        at(SCANS * 85 / 100, "the ACTIVE version's artifact deleted from S3; then kill -9 inference, start it again", log, () -> {
            int removed = deleteArtifact(services.s3.client(), v1);
            assertThat(removed).isPositive();
            restart(services, "inference");
        });
        uploader.join(Duration.ofMinutes(15).toMillis());
        assertThat(uploader.isAlive()).as("the uploader finished").isFalse();
        assertThat(accepted).hasSize(SCANS);

        long[] missing = new long[1];
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, Integer> predictions = activePredictions(services);
            missing[0] = accepted.stream().filter(id -> !predictions.containsKey(id)).count();
            assertThat(missing[0]).as("accepted scans without an ACTIVE prediction in PostgreSQL").isZero();
            assertThat(predictions.entrySet().stream().filter(e -> accepted.contains(e.getKey()) && e.getValue() != 1).toList())
                    .as("scans with more than one ACTIVE prediction").isEmpty();
        });
        System.out.printf("Fault test: %d scans accepted (%d uploads refused with 503 or a refused connection and sent again), "
                + "%d with exactly one ACTIVE prediction in PostgreSQL, %d missing; faults: %s%n", accepted.size(), refusals.get(), accepted.size(),
                missing[0], String.join("; ", log));
    }

    /** Waits until {@code threshold} scans are accepted, then applies the fault. */
    private void at(int threshold, String name, List<String> log, Fault fault) throws Exception {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> accepted.size() >= threshold);
        long start = System.nanoTime();
        fault.apply();
        log.add(name + " (after " + threshold + " accepted, " + (System.nanoTime() - start) / 1_000_000_000 + " s)");
        System.out.println("Fault applied: " + log.get(log.size() - 1));
    }

    private interface Fault {
        void apply() throws Exception;
    }

    private static void restart(LungflowServices services, String name) throws Exception {
        services.kill(name);
        services.start(name);
    }

    /** Uploads SCANS scans at about 10 a second, each sent again until ingest accepts it, as a PACS gateway retries. */
    private void upload(LungflowServices services) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        Random random = new Random(3);
        String key = Credentials.apiKey("pacs");
        for (int i = 0; i < SCANS; i++) {
            try {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(SyntheticImages.image(i % 2, 36, random, false), "png", png);
                HttpRequest request = HttpRequest.newBuilder(URI.create(LungflowServices.url(services.ingest) + "/api/v1/scans"))
                        .header("X-API-Key", key).header("Content-Type", "image/png").header("Lungflow-Modality", "CT")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).build();
                while (true) {
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.add(io.lungflow.schemas.EventJson.mapper().readTree(r.body()).path("scanId").asText());
                            break;
                        }
                        if (r.statusCode() != 503) {
                            throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                        }
                    } catch (java.io.IOException refused) {
                        // ingest unreachable for a moment: send again
                    }
                    refusals.incrementAndGet();
                    Thread.sleep(500);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static int deleteArtifact(MinioClient s3, String version) throws Exception {
        int removed = 0;
        for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket("models").prefix("models/" + MODEL + "/" + version + "/").recursive(true)
                .build())) {
            s3.removeObject(RemoveObjectArgs.builder().bucket("models").object(r.get().objectName()).build());
            removed++;
        }
        return removed;
    }

    /** ACTIVE prediction rows per scan, straight from PostgreSQL. */
    private static Map<String, Integer> activePredictions(LungflowServices services) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(services.postgres.jdbcUrl(), services.postgres.username(), services.postgres.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select scan_id, count(*) from prediction where role = 'ACTIVE' and outcome = 'PREDICTED' group by scan_id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }
}
