package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.dicom.TransferSyntax;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * STOW-RS against a real broker and object store: every instance of a multipart/related body is
 * one scan on scans.ingested (channel STOW_RS); the DICOM JSON answer lists the stored instances
 * and the refused ones with their failure reasons; a body of another type is a 415 problem.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class StowIT {

    private static final String BOUNDARY = "lungflow-stow-test";

    @InjectInfrastructure
    KafkaServer kafka;

    @Test
    void storesEachInstanceAndAnswersInDicomJson() throws Exception {
        byte[] first = TestDicom.file(TestDicom.instance("CT", "CHEST", 32, 41), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] second = TestDicom.file(TestDicom.instance("CT", "CHEST", 32, 42), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        JsonPath all = stow("/dicomweb/studies", first, second).then().statusCode(200).contentType("application/dicom+json")
                .extract().jsonPath();
        assertThat(all.getList("'00081199'.Value")).hasSize(2);
        assertThat(all.getString("'00081199'.Value[1].'00081155'.Value[0]")).isEqualTo("1.2.826.0.1.3680043.8.498.300.42");
        assertThat(all.getString("'00081199'.Value[0].'00081150'.Value[0]")).isEqualTo("1.2.840.10008.5.1.4.1.1.2");

        TopicReader.Event event = new TopicReader(kafka.bootstrapServers()).await(Topics.SCANS_INGESTED,
                e -> e.value().contains("1.2.826.0.1.3680043.8.498.300.42"), Duration.ofSeconds(30));
        ScanIngested ingested = EventJson.mapper().readValue(event.value(), ScanIngested.class);
        assertThat(ingested.source().channel()).isEqualTo(ScanIngested.Channel.STOW_RS);
        assertThat(ingested.dicom().transferSyntaxUid()).isEqualTo(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid());
        assertThat(ingested.scope().inScope()).isTrue();
    }

    @Test
    void refusedInstancesAreListedWithTheirFailureReason() {
        byte[] good = TestDicom.file(TestDicom.instance("CT", "CHEST", 32, 43), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] truncated = Arrays.copyOf(good, good.length - 200);
        byte[] jpegLs = TestDicom.encapsulated(TestDicom.instance("CT", "CHEST", 32, 44), TransferSyntax.JPEG_LS_LOSSLESS);
        JsonPath some = stow("/dicomweb/studies", good, truncated, jpegLs).then().statusCode(202).extract().jsonPath();
        assertThat(some.getList("'00081199'.Value")).hasSize(1);
        assertThat(some.getList("'00081198'.Value.'00081197'.Value.flatten()")).containsExactly(0xC000, 0xC122);
        assertThat(some.getString("'00081198'.Value[1].'00081155'.Value[0]")).isEqualTo("1.2.826.0.1.3680043.8.498.300.44");

        byte[] otherStudy = TestDicom.file(TestDicom.instance("CT", "CHEST", 32, 45), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        stow("/dicomweb/studies/1.2.3.999", otherStudy).then().statusCode(409)
                .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(0xA900));
        stow("/dicomweb/studies/" + TestDicom.STUDY_UID, otherStudy).then().statusCode(200);
    }

    @Test
    void aBodyThatIsNotMultipartRelatedDicomIsAProblem() {
        given().contentType("multipart/related; type=\"application/dicom+xml\"; boundary=x").body("--x--".getBytes(StandardCharsets.US_ASCII))
                .post("/dicomweb/studies").then().statusCode(415).contentType("application/problem+json");
        given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY).body("no parts at all".getBytes())
                .post("/dicomweb/studies").then().statusCode(400).body("code", equalTo("malformed-multipart"));
    }

    private static io.restassured.response.Response stow(String path, byte[]... instances) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] instance : instances) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(instance);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY).body(body.toByteArray())
                .post(path);
    }

}
