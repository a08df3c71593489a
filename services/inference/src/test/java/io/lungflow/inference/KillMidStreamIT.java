package io.lungflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelManifest;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanPredicted;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Infrastructure;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PackagedService;
import io.lungflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, killed with SIGKILL in the middle of a stream and started again, predicts
 * every scan: offsets are committed only after results are acknowledged, so what was in flight is
 * redelivered. Redelivery may repeat a result, always with the same prediction id.
 */
class KillMidStreamIT {

    private static final int SCANS = 600;

    @Test
    void everyScanIsPredictedAfterAKill() throws Exception {
        KafkaServer kafka = Infrastructure.kafka();
        ObjectStore s3 = Infrastructure.objectStore();
        Path work = Files.createTempDirectory("kill-it");
        Path app = PackagedService.app(Path.of(""));
        assertThat(app).as("the packaged service (mvn package runs before the integration tests)").exists();
        int port = ChildProcess.freePort();
        Map<String, String> env = PackagedService.environment(kafka, s3, port, Map.of(
                "LUNGFLOW_INFERENCE_ROUTES_XK", "it-kill",
                "LUNGFLOW_INFERENCE_MAX_BATCH", "8",
                "MP_MESSAGING_INCOMING_SCANS_INGESTED_MAX_POLL_RECORDS", "8",
                "LUNGFLOW_INFERENCE_MODEL_CACHE", work.resolve("cache").toString()));

        try (Publisher publisher = new Publisher(kafka.bootstrapServers(), s3)) {
            ModelManifest v1 = TestModels.random(work, "it-kill", "1", 61);
            publisher.version(v1, publisher.upload(TestModels.dir(work, v1), v1), ModelStatus.ACTIVE, null);

            List<String> scans = new ArrayList<>();
            for (int i = 0; i < SCANS; i++) {
                scans.add(publisher.scan(InferenceIT.png(i % 2, 700 + i), "XK", ScanIngested.Scope.in()));
            }
            Set<String> wanted = new HashSet<>(scans);
            ChildProcess first = PackagedService.start("inference", app, env, work.resolve("inference.log"), port, List.of("-Xmx512m"));
            new TopicReader(kafka.bootstrapServers()).await(Topics.SCANS_PREDICTED, e -> wanted.contains(e.key()), Duration.ofSeconds(120));
            first.kill();
            assertThat(first.isAlive()).isFalse();
            int before = results(kafka, scans).size();
            assertThat(before).as("the kill came in the middle of the stream").isLessThan(SCANS);

            ChildProcess second = PackagedService.start("inference", app, env, work.resolve("inference.log"), port, List.of("-Xmx512m"));
            try {
                Map<String, Integer> results = awaitAll(kafka, scans);
                int repeated = results.values().stream().mapToInt(n -> n - 1).sum();
                System.out.printf("kill -9 mid-stream: %d of %d scans predicted before the kill; after restart all %d predicted, "
                        + "%d result(s) repeated by redelivery%n", before, SCANS, results.size(), repeated);
                assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(scans);
            } finally {
                second.close();
            }
        }
    }

    private static Map<String, Integer> awaitAll(KafkaServer kafka, List<String> scans) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Map<String, Integer> results = Map.of();
        while (System.nanoTime() < deadline) {
            results = results(kafka, scans);
            if (results.size() == scans.size()) {
                break;
            }
            Thread.sleep(500);
        }
        return results;
    }

    /** Scan id to the number of ACTIVE results it has, checking that repeats are the same prediction. */
    private static Map<String, Integer> results(KafkaServer kafka, List<String> scans) {
        Set<String> wanted = new HashSet<>(scans);
        Map<String, Integer> counts = new java.util.HashMap<>();
        Map<String, String> ids = new java.util.HashMap<>();
        for (TopicReader.Event e : new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_PREDICTED)) {
            if (!wanted.contains(e.key())) {
                continue;
            }
            try {
                ScanPredicted p = EventJson.mapper().readValue(e.value(), ScanPredicted.class);
                if (p.role() == Role.ACTIVE) {
                    counts.merge(p.scanId(), 1, Integer::sum);
                    String previous = ids.putIfAbsent(p.scanId(), p.predictionId());
                    assertThat(previous == null || previous.equals(p.predictionId())).as("repeats share the prediction id").isTrue();
                }
            } catch (java.io.IOException ex) {
                throw new AssertionError(ex);
            }
        }
        return counts;
    }
}
