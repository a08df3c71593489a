package io.lungflow.ingest.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.dicom.TransferSyntax;
import io.lungflow.testkit.TestDicom;
import io.lungflow.ingest.TestImages;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Storage SCP against dcmtk, the reference tools hospital systems are built on (Debian's
 * dcmtk package, which .ci/run installs; skipped, and saying so, without it): echoscu; storescu
 * with uncompressed, RLE (made by dcmcrle) and JPEG baseline (made by img2dcm) files, each of
 * which appears on scans.ingested; and an unlisted calling AE title, which is refused.
 */
@QuarkusTest
@TestProfile(DcmtkInteroperabilityIT.AllowList.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class DcmtkInteroperabilityIT {

    public static class AllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lungflow.dicom.allowed-calling-ae-titles", "PACS_TEST,ORTHANC");
        }
    }

    @InjectInfrastructure
    KafkaServer kafka;

    @Inject
    DicomNode node;

    private Path work;

    @BeforeEach
    void tools() throws Exception {
        for (String tool : List.of("echoscu", "storescu", "dcmcrle", "img2dcm")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)),
                    "SKIPPED: " + tool + " is absent (apt-get install dcmtk; .ci/run installs it)");
        }
        work = Files.createTempDirectory("dcmtk");
    }

    @Test
    void echoscuIsAnswered() throws Exception {
        assertThat(run("echoscu", "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port())).isZero();
    }

    @Test
    void storescuSendsUncompressedRleAndJpegBaselineAndEachIsIngested() throws Exception {
        Path plain = work.resolve("plain.dcm");
        Files.write(plain, TestDicom.file(TestDicom.instance("CT", "CHEST", 64, 61), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path rleSource = work.resolve("rle-source.dcm");
        Files.write(rleSource, TestDicom.file(TestDicom.instance("CT", "CHEST", 64, 62), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path rle = work.resolve("rle.dcm");
        assertThat(run("dcmcrle", rleSource.toString(), rle.toString())).isZero();
        Path jpg = work.resolve("chest.jpg");
        Files.write(jpg, TestImages.jpeg(96, 80, 63));
        Path jpeg = work.resolve("jpeg.dcm");
        assertThat(run("img2dcm", "-k", "Modality=DX", "-k", "BodyPartExamined=CHEST", "-k", "PatientID=MRN-JPEG", jpg.toString(),
                jpeg.toString())).isZero();

        // -xr and -xy propose RLE and JPEG baseline (with uncompressed), so the compressed files travel compressed.
        Map<Path, String> proposals = Map.of(plain, "-x=", rle, "-xr", jpeg, "-xy");
        for (Path file : List.of(plain, rle, jpeg)) {
            assertThat(run("storescu", proposals.get(file), "-aet", "PACS_TEST", "-aec", "LUNGFLOW", "127.0.0.1", port(), file.toString()))
                    .as("storescu %s", file.getFileName()).isZero();
        }
        TopicReader reader = new TopicReader(kafka.bootstrapServers());
        for (String uid : List.of("1.2.826.0.1.3680043.8.498.300.61", "1.2.826.0.1.3680043.8.498.300.62")) {
            ScanIngested e = event(reader, uid);
            assertThat(e.source().channel()).isEqualTo(ScanIngested.Channel.C_STORE);
            assertThat(e.source().callingAeTitle()).isEqualTo("PACS_TEST");
            assertThat(e.modality()).isEqualTo("CT");
        }
        assertThat(event(reader, "1.2.826.0.1.3680043.8.498.300.62").dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.RLE_LOSSLESS.uid());
        ScanIngested jpegEvent = event(reader, TransferSyntax.JPEG_BASELINE.uid() + "\"");
        assertThat(jpegEvent.modality()).isEqualTo("DX");
        assertThat(jpegEvent.image().width()).isEqualTo(96);
        assertThat(jpegEvent.source().channel()).isEqualTo(ScanIngested.Channel.C_STORE);
    }

    @Test
    void anUnlistedCallingAeTitleOrAnotherCalledAeTitleIsRefused() throws Exception {
        assertThat(run("echoscu", "-aet", "INTRUDER", "-aec", "LUNGFLOW", "127.0.0.1", port())).isNotZero();
        assertThat(run("echoscu", "-aet", "PACS_TEST", "-aec", "WRONG_NODE", "127.0.0.1", port())).isNotZero();
        assertThat(run("echoscu", "-aet", "ORTHANC", "-aec", "LUNGFLOW", "127.0.0.1", port())).isZero();
    }

    private static ScanIngested event(TopicReader reader, String text) throws Exception {
        return EventJson.mapper().readValue(reader.await(Topics.SCANS_INGESTED, r -> r.value().contains(text), Duration.ofSeconds(30)).value(),
                ScanIngested.class);
    }

    private String port() {
        return Integer.toString(node.port());
    }

    private int run(String... command) throws Exception {
        Path log = work.resolve("tool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        System.out.println(String.join(" ", command) + " -> exit " + p.exitValue() + "\n" + Files.readString(log));
        return p.exitValue();
    }
}
