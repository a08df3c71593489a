package io.lungflow.results;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.dicom.TransferSyntax;
import io.lungflow.schemas.Contract;
import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.SchemaValidator;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.ObjectStore;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TestDicom;
import io.lungflow.testkit.TopicReader;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Results against a real broker, object store and PostgreSQL: events become a scan's status,
 * predictions and label; labels confirmed through the API go to scans.labels; the worklist,
 * search and live metrics answer from what was stored.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class ResultsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SchemaValidator SCHEMAS = new SchemaValidator();

    @InjectInfrastructure
    KafkaServer kafka;

    @InjectInfrastructure
    ObjectStore s3;

    @Test
    void scanIsPendingUntilTheActiveModelAnswersAndListsEveryRole() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            ScanIngested scan = events.ingested("ACC-1", Instant.now());
            String id = scan.scanId();
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + id).then().statusCode(200)
                    .body("status", equalTo("PENDING")).body("studyReference", equalTo("ACC-1")).body("predictions.size()", equalTo(0)));

            events.predicted(id, "m-roles", "1", Role.ACTIVE, 0.91);
            events.predicted(id, "m-roles", "2", Role.SHADOW, 0.40);
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + id).then().statusCode(200)
                    .body("status", equalTo("PREDICTED"))
                    .body("active.decision", equalTo("covid"))
                    .body("active.version", equalTo("1"))
                    .body("predictions.size()", equalTo(2))
                    .body("predictions.find { it.role == 'SHADOW' }.decision", equalTo("non-covid"))
                    .body("predictions.find { it.role == 'ACTIVE' }.probabilities.covid", equalTo(0.91f)));
        }
    }

    @Test
    void confirmationsBecomeLabelEventsAndTheLatestSupersedes() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String id = predictedScan(events, "m-label", "1", 0.8);

            JsonPath first = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Credentials.token("dr.house@example.org", "radiologist"))
                    .body(Map.of("label", "covid")).post("/api/v1/scans/" + id + "/label")
                    .then().statusCode(201).extract().jsonPath();
            assertThat(first.getString("reviewer")).startsWith("hmac-sha256:").doesNotContain("house");
            assertThat(first.getBoolean("agreesWithPrediction")).isTrue();

            // The source is the request's, not the caller's word: an API client cannot pass its label off as an import or as
            // the review page's; the page's own requests (same-origin, as a browser marks them) are REVIEW_PAGE.
            for (String claimed : List.of("IMPORT", "REVIEW_PAGE")) {
                given().contentType(ContentType.JSON).body(Map.of("label", "covid", "source", claimed)).post("/api/v1/scans/" + id + "/label")
                        .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("source"))
                        .body("errors[0].message", containsString("is API for this request"));
            }
            assertThat(first.getString("source")).isEqualTo("API");
            String second = given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "same-origin").body(Map.of("label", "Non-COVID", "source", "REVIEW_PAGE"))
                    .post("/api/v1/scans/" + id + "/label").then().statusCode(201).body("source", equalTo("REVIEW_PAGE"))
                    .body("label", equalTo("non-covid")).body("supersedes", equalTo(first.getString("labelId")))
                    .body("agreesWithPrediction", equalTo(false))
                    .extract().path("labelId");

            TopicReader.Event event = new TopicReader(kafka.bootstrapServers())
                    .await(Topics.SCANS_LABELS, e -> e.value().contains(second), WAIT);
            assertThat(event.key()).isEqualTo(id);
            assertThat(SCHEMAS.validate(Contract.SCAN_LABELLED, json(event.value()))).isEmpty();
            assertThat(event.value()).doesNotContain("house");

            given().get("/api/v1/scans/" + id).then().statusCode(200)
                    .body("label.label", equalTo("non-covid"))
                    .body("label.labelId", equalTo(second))
                    .body("labelHistory.size()", equalTo(2))
                    .body("labelHistory[1].current", equalTo(false))
                    .body("labelHistory[1].label", equalTo("covid"));
        }
    }

    @Test
    void refusesLabelsThatCannotBeRight() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String predicted = predictedScan(events, "m-refuse", "1", 0.3);
            given().contentType(ContentType.JSON).body(Map.of("label", "influenza")).post("/api/v1/scans/" + predicted + "/label")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("covid")).body("detail", containsString("non-covid"));
            given().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/scans/" + predicted + "/label")
                    .then().statusCode(400).contentType("application/problem+json");
            given().contentType(ContentType.JSON).body("{not json").post("/api/v1/scans/" + predicted + "/label")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("invalid-json"))
                    .body("detail", containsString("not the JSON"));
            given().queryParam("page", "x").get("/api/v1/scans").then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("invalid-parameter"));
            given().contentType(ContentType.JSON).body(Map.of("label", "covid")).post("/api/v1/scans/" + UUID.randomUUID() + "/label")
                    .then().statusCode(404).contentType("application/problem+json");

            String pending = events.ingested("ACC-P", Instant.now()).scanId();
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + pending).then().statusCode(200));
            given().contentType(ContentType.JSON).body(Map.of("label", "covid")).post("/api/v1/scans/" + pending + "/label")
                    .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("PENDING"));
        }
    }

    @Test
    void worklistPutsLikelyCovidFirstThenTheUncertainAndDropsLabelledScans() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String study = "WL-" + UUID.randomUUID().toString().substring(0, 8);
            String sure = predictedScan(events, "m-work", "1", 0.99, study);
            String unsure = predictedScan(events, "m-work", "1", 0.52, study);
            String negative = predictedScan(events, "m-work", "1", 0.05, study);
            String borderline = predictedScan(events, "m-work", "1", 0.45, study);
            List<String> order = worklistOf(List.of(sure, unsure, negative, borderline));
            assertThat(order).containsExactly(sure, unsure, borderline, negative);

            given().contentType(ContentType.JSON).body(Map.of("label", "covid")).post("/api/v1/scans/" + sure + "/label").then().statusCode(201);
            assertThat(worklistOf(List.of(sure, unsure, negative, borderline))).containsExactly(unsure, borderline, negative);
        }
    }

    @Test
    void searchesByStudyDecisionModelVersionAndDate() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String study = "S-" + UUID.randomUUID().toString().substring(0, 8);
            String model = "m-search-" + UUID.randomUUID().toString().substring(0, 6);
            Instant old = Instant.parse("2024-03-01T10:00:00Z");
            String a = predictedScan(events, model, "1", 0.9, study, old);
            String b = predictedScan(events, model, "2", 0.1, study, Instant.now());
            String c = predictedScan(events, model, "2", 0.8, study, Instant.now());

            given().queryParam("study", study).get("/api/v1/scans").then().statusCode(200).body("total", equalTo(3));
            given().queryParam("study", study).queryParam("decision", "covid").get("/api/v1/scans").then()
                    .body("total", equalTo(2)).body("items.scanId", org.hamcrest.Matchers.containsInAnyOrder(a, c));
            given().queryParam("model", model).queryParam("version", "2").get("/api/v1/scans").then()
                    .body("total", equalTo(2)).body("items.scanId", org.hamcrest.Matchers.containsInAnyOrder(b, c));
            given().queryParam("study", study).queryParam("to", "2024-03-01").get("/api/v1/scans").then()
                    .body("total", equalTo(1)).body("items[0].scanId", equalTo(a));
            given().queryParam("study", study).queryParam("size", 2).queryParam("page", 1).get("/api/v1/scans").then()
                    .body("total", equalTo(3)).body("items.size()", equalTo(1));
            given().queryParam("from", "yesterday").get("/api/v1/scans").then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void liveMetricsFollowConfirmedLabelsOnRestPrometheusAndTheTopic() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String model = "m-live-" + UUID.randomUUID().toString().substring(0, 6);
            events.version(model, "1", ModelStatus.ACTIVE);
            // decisions: covid, covid, non-covid, non-covid; truths: covid, non-covid, covid, non-covid
            double[] covid = {0.9, 0.7, 0.2, 0.1};
            String[] truth = {"covid", "non-covid", "covid", "non-covid"};
            List<String> ids = new ArrayList<>();
            for (double p : covid) {
                ids.add(predictedScan(events, model, "1", p));
            }
            await().atMost(WAIT).untilAsserted(() -> given().queryParam("model", model).get("/api/v1/performance").then()
                    .body("[0].labelled", equalTo(0)).body("[0].sensitivity", org.hamcrest.Matchers.nullValue()));
            for (int i = 0; i < ids.size(); i++) {
                given().contentType(ContentType.JSON).body(Map.of("label", truth[i])).post("/api/v1/scans/" + ids.get(i) + "/label")
                        .then().statusCode(201);
            }
            JsonPath live = given().queryParam("model", model).get("/api/v1/performance").then().statusCode(200).extract().jsonPath();
            assertThat(live.getInt("[0].labelled")).isEqualTo(4);
            assertThat(live.getList("[0].confusionMatrix.classes")).containsExactly("covid", "non-covid");
            assertThat(live.getList("[0].confusionMatrix.counts")).isEqualTo(List.of(List.of(1, 1), List.of(1, 1)));
            assertThat(live.getDouble("[0].sensitivity")).isEqualTo(0.5);
            assertThat(live.getDouble("[0].specificity")).isEqualTo(0.5);
            assertThat(live.getDouble("[0].ppv")).isEqualTo(0.5);

            // The radiologist corrects the second scan: now 2 of 2 negatives are right.
            given().contentType(ContentType.JSON).body(Map.of("label", "covid")).post("/api/v1/scans/" + ids.get(1) + "/label")
                    .then().statusCode(201);
            given().queryParam("model", model).get("/api/v1/performance").then()
                    .body("[0].labelled", equalTo(4)).body("[0].ppv", equalTo(1.0f)).body("[0].specificity", equalTo(1.0f));

            String tags = "model=\"" + model + "\",role=\"ACTIVE\",version=\"1\"";
            await().atMost(WAIT).untilAsserted(() -> assertThat(given().get("/q/metrics").asString())
                    .contains("lungflow_live_specificity{" + tags + "} 1.0")
                    .contains("lungflow_live_labelled{" + tags + "} 4.0"));

            TopicReader.Event published = new TopicReader(kafka.bootstrapServers()).await(Topics.MODELS_PERFORMANCE,
                    e -> e.key().equals(model + ":1:ACTIVE") && e.value().contains("\"ppv\":1.0"), WAIT);
            assertThat(SCHEMAS.validate(Contract.MODEL_PERFORMANCE, json(published.value()))).isEmpty();
            ModelPerformance p = read(published.value(), ModelPerformance.class);
            assertThat(p.labelled()).isEqualTo(4);
        }
    }

    @Test
    void streamsTheStoredImage() throws Exception {
        MinioClient client = scansBucket();
        try (Events events = new Events(kafka.bootstrapServers())) {
            ScanIngested scan = events.ingested("IMG", Instant.now());
            byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
            client.putObject(PutObjectArgs.builder().bucket("scans").object(scan.object().key())
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + scan.scanId()).then().statusCode(200));
            byte[] served = given().get("/api/v1/scans/" + scan.scanId() + "/image").then().statusCode(200)
                    .contentType("image/png").extract().asByteArray();
            assertThat(served).isEqualTo(bytes);

            ScanIngested missing = events.ingested("IMG", Instant.now());
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + missing.scanId()).then().statusCode(200));
            given().get("/api/v1/scans/" + missing.scanId() + "/image").then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void aStoredDicomIsShownAsPngAndOneBeyondTheImageLimitsIsRefusedWithTheReason() throws Exception {
        MinioClient client = scansBucket();
        try (Events events = new Events(kafka.bootstrapServers())) {
            ScanIngested small = events.ingested("DCM", Instant.now(), "dcm", "application/dicom");
            put(client, small, TestDicom.file(TestDicom.instance("DX", "CHEST", 96, 8), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            // Stored before the limits existed (ingest now refuses it): 6000² 16-bit pixels, 275 MiB to decode, once answered 500.
            ScanIngested bomb = events.ingested("DCM", Instant.now(), "dcm", "application/dicom");
            put(client, bomb, TestDicom.deflatedBomb(6000, 9));
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + bomb.scanId()).then().statusCode(200));

            byte[] png = given().get("/api/v1/scans/" + small.scanId() + "/image").then().statusCode(200)
                    .contentType("image/png").extract().asByteArray();
            assertThat(javax.imageio.ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(96);
            given().get("/api/v1/scans/" + bomb.scanId() + "/image").then().statusCode(422).contentType("application/problem+json")
                    .body("code", equalTo("image-too-large")).body("detail", containsString("6000×6000"));
            given().get("/api/v1/scans/" + small.scanId() + "/image").then().statusCode(200);
        }
    }

    private MinioClient scansBucket() throws Exception {
        MinioClient client = s3.client();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket("scans").build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket("scans").build());
        }
        return client;
    }

    private static void put(MinioClient client, ScanIngested scan, byte[] bytes) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket("scans").object(scan.object().key())
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(scan.object().mediaType()).build());
    }

    @Test
    void aRecordThatDoesNotParseGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        try (Events events = new Events(kafka.bootstrapServers())) {
            String key = "poison-" + UUID.randomUUID();
            events.sendRaw(Topics.SCANS_PREDICTED, key, "{not json");
            String after = predictedScan(events, "m-poison", "1", 0.6);
            TopicReader.Event dead = new TopicReader(kafka.bootstrapServers()).await(Topics.deadLetter(Topics.SCANS_PREDICTED),
                    e -> key.equals(e.key()), WAIT);
            assertThat(dead.header("dead-letter-reason")).isNotBlank();
            given().get("/api/v1/scans/" + after).then().body("status", equalTo("PREDICTED"));
        }
    }

    static String predictedScan(Events events, String model, String version, double covid) {
        return predictedScan(events, model, version, covid, "ACC-" + UUID.randomUUID().toString().substring(0, 6));
    }

    static String predictedScan(Events events, String model, String version, double covid, String study) {
        return predictedScan(events, model, version, covid, study, Instant.now());
    }

    static String predictedScan(Events events, String model, String version, double covid, String study, Instant receivedAt) {
        String id = events.ingested(study, receivedAt.truncatedTo(ChronoUnit.MILLIS)).scanId();
        events.predicted(id, model, version, Role.ACTIVE, covid);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/scans/" + id).then().statusCode(200)
                .body("status", equalTo("PREDICTED")).body("receivedAt", org.hamcrest.Matchers.notNullValue()));
        return id;
    }

    /** The worklist's order of the given scans (other tests' scans may be on it too). */
    private static List<String> worklistOf(List<String> mine) {
        List<String> ids = given().queryParam("size", 200).get("/api/v1/worklist").then().statusCode(200).extract().jsonPath()
                .getList("items.scanId", String.class);
        return ids.stream().filter(mine::contains).toList();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        return read(text, com.fasterxml.jackson.databind.JsonNode.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
