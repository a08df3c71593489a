package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import io.minio.GetObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * DICOM uploads on the same path as PNG and JPEG: the instance's attributes go into the event
 * (UIDs, modality, body part, accession, a pseudonymous patient reference), the stored object is
 * a de-identified copy, out-of-scope instances are accepted and marked, and what cannot be read or
 * decoded is refused with the reason.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class DicomUploadIT {

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Test
    void aChestCtIsAnnouncedWithItsAttributesAndStoredDeidentified() throws Exception {
        byte[] dicom = TestDicom.file(TestDicom.instance("CT", "CHEST", 64, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        String scanId = given().contentType("application/dicom").body(dicom).post("/api/v1/scans")
                .then().statusCode(202).body("scope.inScope", equalTo(true)).extract().path("scanId");

        TopicReader.Event event = new TopicReader(kafka.bootstrapServers()).await(Topics.SCANS_INGESTED, e -> scanId.equals(e.key()), Duration.ofSeconds(30));
        assertThat(new SchemaValidator().validate(Contract.SCAN_INGESTED, EventJson.mapper().readTree(event.value()))).isEmpty();
        ScanIngested ingested = EventJson.mapper().readValue(event.value(), ScanIngested.class);
        assertThat(ingested.object().mediaType()).isEqualTo("application/dicom");
        assertThat(ingested.modality()).isEqualTo("CT");
        assertThat(ingested.bodyPart()).isEqualTo("CHEST");
        assertThat(ingested.studyReference()).isEqualTo("ACC-1");
        assertThat(ingested.image().width()).isEqualTo(64);
        assertThat(ingested.dicom().studyInstanceUid()).isEqualTo(TestDicom.STUDY_UID);
        assertThat(ingested.dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        assertThat(ingested.patientRef()).matches("hmac-sha256:[0-9a-f]{64}");
        assertThat(event.value()).doesNotContain(TestDicom.PATIENT_ID).doesNotContain("Doe");

        byte[] stored;
        try (InputStream in = s3.client().getObject(GetObjectArgs.builder().bucket("scans").object(ingested.object().key()).build())) {
            stored = in.readAllBytes();
        }
        assertThat(UploadIT.sha256(stored)).isEqualTo(ingested.object().sha256());
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(TestDicom.PATIENT_NAME).doesNotContain(TestDicom.PATIENT_ID).doesNotContain("19610203")
                .doesNotContain(TestDicom.STUDY_UID);
        DicomFile copy = new DicomReader().read(new ByteArrayInputStream(stored));
        assertThat(copy.dataset().getString(Tag.PATIENT_ID)).isEqualTo(ingested.patientRef());
        assertThat(copy.dataset().getString(0x00120062)).isEqualTo("YES");
        assertThat(copy.dataset().get(Tag.PIXEL_DATA).orElseThrow().value()).hasSize(64 * 64 * 2);
    }

    @Test
    void anOutOfScopeInstanceIsAcceptedAndMarked() {
        byte[] mr = TestDicom.file(TestDicom.instance("MR", "HEAD", 32, 2), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        given().contentType("application/dicom").body(mr).post("/api/v1/scans").then().statusCode(202)
                .body("scope.inScope", equalTo(false)).body("scope.reason", containsString("MR"));
        byte[] knee = TestDicom.file(TestDicom.instance("DX", "KNEE", 32, 3), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        given().multiPart("file", "knee.dcm", knee, "application/dicom").post("/api/v1/scans").then().statusCode(202)
                .body("scope.inScope", equalTo(false)).body("scope.reason", containsString("KNEE"));
    }

    @Test
    void unreadableOrUndecodableDicomIsRefusedWithTheReason() {
        byte[] good = TestDicom.file(TestDicom.instance("CT", "CHEST", 32, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        given().contentType("application/dicom").body(Arrays.copyOf(good, good.length - 100)).post("/api/v1/scans")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("runcated"));
        byte[] jpegLs = TestDicom.encapsulated(TestDicom.instance("CT", "CHEST", 32, 5), TransferSyntax.JPEG_LS_LOSSLESS);
        given().contentType("application/dicom").body(jpegLs).post("/api/v1/scans")
                .then().statusCode(415).contentType("application/problem+json").body("detail", containsString("1.2.840.10008.1.2.4.80"));
        given().contentType("application/dicom").body(TestDicomPng.png()).post("/api/v1/scans")
                .then().statusCode(400).body("code", equalTo("content-mismatch"));
    }

    @Test
    void aDeflatedDecompressionBombIsRefusedAsTooLargeToDecodeAndTheNextInstanceIsStored() {
        // 230 KB that inflate to 8000² 16-bit pixels: 128 MB as read, 488 MiB to decode, beyond the 192 MiB an image may need.
        byte[] bomb = TestDicom.deflatedBomb(8000, 6);
        assertThat(bomb.length).isLessThan(400_000);

        given().contentType("application/dicom").body(bomb).post("/api/v1/scans")
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("image-too-large"))
                .body("detail", containsString("8000×8000")).body("detail", containsString("lungflow.images.max-decode-memory"));

        byte[] next = TestDicom.file(TestDicom.instance("CT", "CHEST", 64, 7), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        given().contentType("application/dicom").body(next).post("/api/v1/scans").then().statusCode(202);
    }

    /** A PNG declared as DICOM. */
    static final class TestDicomPng {
        static byte[] png() {
            return io.lungflow.ingest.TestImages.png(64, 64, 9);
        }
    }
}
