package io.lungflow.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.Infrastructure;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PackagedService;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A study of 256 MB through STOW-RS into the packaged service running with a 96 MB heap: the
 * body is never held in memory (a service that buffered it would fail with OutOfMemoryError), and
 * every one of its 128 instances is stored and announced. The sender streams it too (chunked,
 * each instance made as it is sent). The peak resident memory of the service is printed.
 */
class LargeStudyStowIT {

    private static final int INSTANCES = 128;
    private static final int SIZE = 1024; // 1024 x 1024 x 16 bits: 2 MB of pixels per instance
    private static final long FIRST_SEED = 5000;
    private static final String BOUNDARY = "lungflow-large-study";

    @Test
    void aStudyOfHundredsOfMegabytesIsStoredByAServiceWithASmallHeap() throws Exception {
        KafkaServer kafka = Infrastructure.kafka();
        ObjectStore s3 = Infrastructure.objectStore();
        int port = ChildProcess.freePort();
        Path work = Files.createTempDirectory("large-stow");
        Map<String, String> env = PackagedService.environment(kafka, s3, port, Map.of(
                "LUNGFLOW_PSEUDONYM_KEY", "large-study-test-pseudonym-key-not-a-secret-0123",
                "LUNGFLOW_DICOM_ENABLED", "false"));
        try (ChildProcess ingest = PackagedService.start("ingest", PackagedService.app(Path.of(".")), env, work.resolve("ingest.log"), port,
                List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"))) {
            long[] sent = {0};
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dicomweb/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                    .header("Accept", "application/dicom+json")
                    .header("X-API-Key", Credentials.apiKey("pacs"))
                    .timeout(Duration.ofMinutes(8))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body(sent))).build();
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(ingest.isAlive()).as("ingest still running; its log:\n%s", ingest.logTail()).isTrue();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode stored = new ObjectMapper().readTree(response.body()).get("00081199").get("Value");
            assertThat(stored).hasSize(INSTANCES);
            assertThat(sent[0]).isGreaterThan(256L * 1024 * 1024);

            Set<String> expected = IntStream.range(0, INSTANCES).mapToObj(i -> sop(FIRST_SEED + i)).collect(Collectors.toSet());
            Set<String> announced = new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_INGESTED).stream()
                    .flatMap(e -> expected.stream().filter(sop -> e.value().contains(sop))).collect(Collectors.toSet());
            assertThat(announced).isEqualTo(expected);
            System.out.printf("STOW-RS of %d instances, %d MB, into ingest with -Xmx96m: peak resident memory %s%n", INSTANCES,
                    sent[0] >> 20, peakResident(ingest.pid()));
        }
    }

    /** The multipart/related body, each instance written only when the sender reaches it. */
    private static InputStream body(long[] sent) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next <= INSTANCES;
            }

            @Override
            public InputStream nextElement() {
                if (next == INSTANCES) {
                    next++;
                    return ascii("--" + BOUNDARY + "--\r\n");
                }
                byte[] file = TestDicom.file(TestDicom.instance("CT", "CHEST", SIZE, FIRST_SEED + next++), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                sent[0] += file.length;
                return new SequenceInputStream(ascii("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n"),
                        new SequenceInputStream(new ByteArrayInputStream(file), ascii("\r\n")));
            }
        };
        return new SequenceInputStream(parts);
    }

    private static InputStream ascii(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String sop(long seed) {
        return "1.2.826.0.1.3680043.8.498.300." + seed + "\"";
    }

    private static String peakResident(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).strip()).findFirst().orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
