package io.lungflow.ingest.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.TopicReader;
import io.minio.StatObjectArgs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the interoperability tests share: the node's settings, running the peers' tools, finding what they sent. */
final class DicomPeers {

    private DicomPeers() {
    }

    /**
     * An allow-list naming the peers' AE titles, four association slots so that a fifth can be shown
     * refused, and a 5 s idle timeout so that a silent connection can be shown closed.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lungflow.dicom.allowed-calling-ae-titles", "PACS_TEST,PACS_1,PACS_2,PACS_3,PACS_4,ORTHANC",
                    "lungflow.dicom.max-associations", "4", "lungflow.dicom.idle-timeout", "5s");
        }
    }

    static void assumeInstalled(String tool, String packageName) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/usr/sbin", tool)),
                "SKIPPED: " + tool + " is absent (apt-get install " + packageName + "; .ci/run installs it)");
    }

    /** Runs a tool to its end (at most a minute), prints its output, and gives its exit status. */
    static Result run(Path work, String... command) throws Exception {
        Path log = Files.createTempFile(work, "tool", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String output = Files.readString(log);
        System.out.println(String.join(" ", command) + " -> exit " + p.exitValue() + "\n" + output);
        return new Result(p.exitValue(), output);
    }

    record Result(int exit, String output) {
    }

    /** The scans.ingested event whose JSON contains {@code text} and came over {@code channel}; its object must be in S3. */
    static ScanIngested ingested(TopicReader reader, ObjectStore s3, String text, ScanIngested.Channel channel) throws Exception {
        ScanIngested event = EventJson.mapper().readValue(reader.await(Topics.SCANS_INGESTED,
                r -> r.value().contains(text) && r.value().contains("\"" + channel.name() + "\""), Duration.ofSeconds(30)).value(),
                ScanIngested.class);
        assertThat(s3.client().statObject(StatObjectArgs.builder().bucket(event.object().bucket()).object(event.object().key()).build()).size())
                .as("the object of %s in S3", text).isEqualTo(event.object().sizeBytes());
        return event;
    }
}
