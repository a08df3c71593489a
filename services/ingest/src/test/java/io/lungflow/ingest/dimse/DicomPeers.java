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
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
     * refused, a 5 s idle timeout and a 3 s negotiation deadline so that silent and slow connections
     * can be shown closed, and a 1 MB instance limit so that a larger one can be shown refused.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lungflow.dicom.allowed-calling-ae-titles", "PACS_TEST,PACS_1,PACS_2,PACS_3,PACS_4,ORTHANC",
                    "lungflow.dicom.max-associations", "4", "lungflow.dicom.idle-timeout", "5s", "lungflow.dicom.negotiation-timeout", "3s",
                    "lungflow.ingest.max-upload-size", "1M");
        }
    }

    /**
     * Opens an association as {@code callingAe} proposing Verification (a hand-made A-ASSOCIATE-RQ, PS3.8 §9.3.2), and gives
     * the socket once the node accepted it; the node's answer otherwise fails the test.
     */
    static Socket associate(int port, String callingAe) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0});
        body.writeBytes(Association.Arrays16.pad("LUNGFLOW"));
        body.writeBytes(Association.Arrays16.pad(callingAe));
        body.writeBytes(new byte[32]);
        body.writeBytes(Association.item(0x10, "1.2.840.10008.3.1.1.1".getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        context.writeBytes(new byte[] {1, 0, 0, 0});
        context.writeBytes(Association.item(0x30, "1.2.840.10008.1.1".getBytes(StandardCharsets.US_ASCII)));
        context.writeBytes(Association.item(0x40, "1.2.840.10008.1.2".getBytes(StandardCharsets.US_ASCII)));
        body.writeBytes(Association.item(0x20, context.toByteArray()));
        body.writeBytes(Association.item(0x50, Association.item(0x51, new byte[] {0, 0, 0x40, 0})));
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeByte(0x01);
        out.writeByte(0);
        out.writeInt(body.size());
        out.write(body.toByteArray());
        out.flush();
        int answer = socket.getInputStream().read();
        assertThat(answer).as("the node's answer to an association request (2: A-ASSOCIATE-AC)").isEqualTo(0x02);
        return socket;
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
