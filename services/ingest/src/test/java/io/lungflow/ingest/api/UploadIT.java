package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lungflow.imaging.PngFiles;
import io.lungflow.ingest.TestImages;
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
import io.lungflow.testkit.TopicReader;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.lungflow.platform.problem.Problem;
import io.lungflow.testkit.Credentials;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Uploads against a real Kafka broker and a real S3 server: an accepted image is in the bucket
 * and announced on scans.ingested with the same checksum; the same bytes keep their scan id; bad
 * input is refused with a problem document and leaves nothing in the bucket or on the topic; an
 * S3 outage answers 503 and nothing is announced.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class UploadIT {

    private static final SchemaValidator SCHEMAS = new SchemaValidator();

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Test
    void aPngIsStoredAndAnnouncedWithItsChecksum() throws Exception {
        byte[] png = TestImages.png(320, 256, 101);
        ExtractableResponse<Response> response = given()
                .contentType("image/png")
                .header("Lungflow-Modality", "CT")
                .header("Lungflow-Body-Part", "chest")
                .header("Lungflow-Patient-Id", "PID-4711")
                .header("Lungflow-Source-System", "ward-7")
                .body(png)
                .post("/api/v1/scans")
                .then()
                .statusCode(202)
                .header("Location", notNullValue())
                .body("status", equalTo("ACCEPTED"))
                .body("duplicate", equalTo(false))
                .body("scanId", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .extract();
        String scanId = response.path("scanId");
        assertThat((String) response.path("statusUrl")).endsWith(scanId);

        TopicReader.Event event = announced(scanId);
        ScanIngested ingested = EventJson.mapper().readValue(event.value(), ScanIngested.class);
        assertThat(ingested.object().sha256()).isEqualTo(sha256(png));
        assertThat(ingested.object().mediaType()).isEqualTo("image/png");
        assertThat(ingested.image().width()).isEqualTo(320);
        assertThat(ingested.modality()).isEqualTo("CT");
        assertThat(ingested.bodyPart()).isEqualTo("CHEST");
        assertThat(ingested.source().system()).isEqualTo("ward-7");
        assertThat(ingested.patientRef()).matches("hmac-sha256:[0-9a-f]{64}");
        assertThat(event.value()).doesNotContain("PID-4711").doesNotContain("4711");
        assertThat(sha256(download(ingested.object().key()))).isEqualTo(sha256(png));
    }

    @Test
    void aJpegFormUploadIsStoredAndAnnounced() throws Exception {
        byte[] jpeg = TestImages.jpeg(400, 300, 102);
        String scanId = given()
                .multiPart("file", "xray.jpg", jpeg, "image/jpeg")
                .multiPart("modality", "DX")
                .multiPart("studyReference", "ACC-991")
                .post("/api/v1/scans")
                .then()
                .statusCode(202)
                .extract().path("scanId");

        ScanIngested ingested = EventJson.mapper().readValue(announced(scanId).value(), ScanIngested.class);
        assertThat(ingested.object().sha256()).isEqualTo(sha256(jpeg));
        assertThat(ingested.object().key()).isEqualTo(scanId + ".jpg");
        assertThat(ingested.studyReference()).isEqualTo("ACC-991");
        assertThat(ingested.source().channel()).isEqualTo(ScanIngested.Channel.UPLOAD);
        assertThat(sha256(download(ingested.object().key()))).isEqualTo(sha256(jpeg));
    }

    @Test
    void theSameBytesTwiceKeepTheirScanId() {
        byte[] png = TestImages.png(128, 128, 103);
        String first = given().contentType("image/png").body(png).post("/api/v1/scans")
                .then().statusCode(202).body("duplicate", equalTo(false)).extract().path("scanId");
        String second = given().multiPart("file", "again.bin", png, "application/octet-stream").post("/api/v1/scans")
                .then().statusCode(202).body("duplicate", equalTo(true)).extract().path("scanId");
        assertThat(second).isEqualTo(first);
        assertThat(keys()).filteredOn(k -> k.startsWith(first)).hasSize(1);
        given().get("/api/v1/scans/" + first).then().statusCode(200)
                .body("stored", equalTo(true)).body("object.sha256", equalTo(sha256(png)));
    }

    @Test
    void anEmptyBodyIsRefused() {
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(new byte[0]).post("/api/v1/scans"),
                400, "empty-body");
    }

    @Test
    void aPngWhoseRasterCouldNotBeDecodedDownstreamIsRefusedHere() {
        // 16384 × 6100 RGBA at 16 bits, within the side and pixel limits: ImageIO's raster alone would be 800 MB, which
        // inference (and results, to show it) could never hold. Accepting it would end in a rejection for memory, not bytes.
        byte[] png = PngFiles.zeros(16384, 6100, 16, PngFiles.RGBA);
        assertThat(png.length).isLessThan(2_000_000);

        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(png).post("/api/v1/scans"), 413, "image-too-large");
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        byte[] big = new byte[64 * 1024 * 1024 + 1];
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(big).post("/api/v1/scans"),
                413, "payload-too-large");
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(new java.io.ByteArrayInputStream(big))
                .post("/api/v1/scans"), 413, "payload-too-large");
        assertRefusedLeavingNothing(() -> given().multiPart("file", "big.png", big, "image/png").post("/api/v1/scans"),
                413, "payload-too-large");
    }

    @Test
    void aFormAnnouncingMoreThanTheLimitIsRefusedBeforeItsBodyIsSent() throws Exception {
        // Only the headers are sent, promising a 200 MB form (the limit is 64 MB): the answer comes at once, so nothing of the body
        // was awaited or written.
        String tooLarge = formHeaders("Content-Length: " + 200L * 1024 * 1024);
        assertThat(answerTo(tooLarge)).startsWith("HTTP/1.1 413").contains(Problem.MEDIA_TYPE).contains("\"code\":\"payload-too-large\"")
                .contains("lungflow.ingest.max-upload-size");
    }

    @Test
    void aChunkedFormIsCutOffOncePastTheLimitNotReadToItsEnd() throws Exception {
        // A form sent in chunks gives no length to judge: it is read with the form limit (64 MB and the form's overhead), not the
        // server's 1 GB, so the server stops it soon after 64 MB of the 200 MB offered.
        long offered = 200L * 1024 * 1024;
        long sent = 0;
        String answer;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(formHeaders("Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            byte[] part = ("--lungflow-test\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            try {
                while (sent < offered) {
                    out.write(("100000\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (java.io.IOException closed) {
                // the server stopped reading and closed the connection
            }
            try {
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException reset) {
                answer = "";
            }
        }
        assertThat(sent).as("bytes sent before the server stopped the body").isLessThan(offered);
        if (!answer.isEmpty()) {
            assertThat(answer).startsWith("HTTP/1.1 413");
        }
    }

    private static String formHeaders(String length) {
        return "POST /api/v1/scans HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Credentials.token("pacs-test", "pacs")
                + "\r\nContent-Type: multipart/form-data; boundary=lungflow-test\r\n" + length + "\r\n\r\n";
    }

    /** Sends {@code head} alone and reads the answer until the server closes; a server waiting for the body fails this by the timeout. */
    private static String answerTo(String head) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anUnsupportedMediaTypeIsRefused() {
        assertRefusedLeavingNothing(() -> given().contentType("text/plain").body("hello").post("/api/v1/scans"),
                415, "unsupported-media-type");
        byte[] gif = "GIF89a-not-accepted".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertRefusedLeavingNothing(() -> given().multiPart("file", "a.gif", gif, "image/gif").post("/api/v1/scans"),
                415, "unsupported-media-type");
    }

    @Test
    void bytesThatDoNotDecodeAreRefused() {
        byte[] jpeg = TestImages.jpeg(256, 256, 104);
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(jpeg).post("/api/v1/scans"),
                400, "content-mismatch");
        byte[] truncated = TestImages.truncated(TestImages.png(256, 256, 105), 0.5);
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(truncated).post("/api/v1/scans"),
                400, "undecodable");
    }

    @Test
    void absurdDimensionsAreRefused() {
        byte[] bomb = PngFiles.headerClaiming(200_000, 200_000);
        assertRefusedLeavingNothing(() -> given().contentType("image/png").body(bomb).post("/api/v1/scans"),
                413, "image-too-large");
    }

    @Test
    void invalidMetadataIsRefusedNamingTheField() {
        byte[] png = TestImages.png(64, 64, 106);
        assertRefusedLeavingNothing(() -> given().multiPart("file", "a.png", png, "image/png").multiPart("modality", "MR")
                .post("/api/v1/scans"), 400, "invalid-fields");
        given().multiPart("file", "a.png", png, "image/png").multiPart("modality", "MR").post("/api/v1/scans")
                .then().body("errors[0].field", equalTo("modality"));
    }

    @Test
    void aFormWithoutAFileIsRefused() {
        assertRefusedLeavingNothing(() -> given().multiPart("modality", "CT").post("/api/v1/scans"), 400, "missing-file");
    }

    @Test
    void whileStorageIsDownUploadsGet503AndNothingIsAnnounced() {
        byte[] png = TestImages.png(200, 200, 107);
        s3.suspend();
        try {
            given().contentType("image/png").body(png).post("/api/v1/scans")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("storage-unavailable"));
            assertThat(eventsWithChecksum(sha256(png))).isEmpty();
        } finally {
            s3.resume();
        }
        String scanId = given().contentType("image/png").body(png).post("/api/v1/scans")
                .then().statusCode(202).extract().path("scanId");
        assertThat(announced(scanId)).isNotNull();
    }

    @Test
    void anUnknownScanIsAProblem404() {
        given().get("/api/v1/scans/00000000-0000-8000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("scan-not-found"));
    }

    @Test
    void readinessNamesTheBrokerAndTheObjectStore() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItems("kafka", "object-store"));
    }

    @Test
    void metricsCountScansByReasonWithoutIdentifiers() {
        byte[] png = TestImages.png(72, 72, 108);
        String scanId = given().contentType("image/png").header("Lungflow-Patient-Id", "PID-8842").body(png)
                .post("/api/v1/scans").then().statusCode(202).extract().path("scanId");
        given().contentType("image/png").body(new byte[0]).post("/api/v1/scans").then().statusCode(400);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("lungflow_ingest_scans_accepted_total\\{[^}]*channel=\"upload\"[^}]*media_type=\"image/png\"[^}]*} [1-9]")
                .containsPattern("lungflow_ingest_scans_rejected_total\\{[^}]*reason=\"empty-body\"[^}]*} [1-9]")
                .contains("lungflow_ingest_bytes")
                .doesNotContain(scanId)
                .doesNotContain("PID-8842");
    }

    @Test
    void theApiIsDocumented() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/scans'.post.responses.'413'.description", notNullValue());
    }

    private void assertRefusedLeavingNothing(java.util.function.Supplier<Response> request, int status, String code) {
        Set<String> keysBefore = keys();
        int eventsBefore = new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_INGESTED).size();
        JsonNode problem = EventJson.mapper().valueToTree(request.get()
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code))
                .body("type", equalTo("https://lungflow.io/problems/" + code))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .extract().as(java.util.Map.class));
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(keys()).isEqualTo(keysBefore);
        assertThat(new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_INGESTED)).hasSize(eventsBefore);
    }

    private TopicReader.Event announced(String scanId) {
        TopicReader.Event event = new TopicReader(kafka.bootstrapServers())
                .await(Topics.SCANS_INGESTED, e -> scanId.equals(e.key()), Duration.ofSeconds(30));
        assertThat(event.header("ce_type")).isEqualTo(ScanIngested.CE_TYPE);
        assertThat(event.header("ce_specversion")).isEqualTo("1.0");
        assertThat(event.header("ce_source")).isEqualTo("urn:lungflow:ingest");
        assertThat(event.header("ce_subject")).isEqualTo(scanId);
        assertThat(event.header("ce_id")).isNotBlank();
        assertThat(event.header("ce_time")).isNotBlank();
        try {
            assertThat(SCHEMAS.validate(Contract.SCAN_INGESTED, EventJson.mapper().readTree(event.value()))).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return event;
    }

    private java.util.List<TopicReader.Event> eventsWithChecksum(String sha256) {
        return new TopicReader(kafka.bootstrapServers()).readAll(Topics.SCANS_INGESTED).stream()
                .filter(e -> e.value().contains(sha256)).toList();
    }

    private Set<String> keys() {
        Set<String> keys = new HashSet<>();
        try {
            for (Result<Item> r : s3.client().listObjects(ListObjectsArgs.builder().bucket("scans").recursive(true).build())) {
                keys.add(r.get().objectName());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return keys;
    }

    private byte[] download(String key) throws Exception {
        try (InputStream in = s3.client().getObject(GetObjectArgs.builder().bucket("scans").object(key).build())) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
