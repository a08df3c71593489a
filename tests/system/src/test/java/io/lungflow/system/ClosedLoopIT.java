package io.lungflow.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.TestDicom;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed loop, with the four packaged services on a real broker, object store and PostgreSQL:
 * a first model is trained and made ACTIVE; scans uploaded to ingest are predicted; labels are
 * confirmed through the API behind the review page and the active version's live metrics move;
 * a version trained on those labels goes to SHADOW and passes the promotion gate, while a worse
 * one (trained with its classes swapped) is refused with its figures; then a rollback.
 */
class ClosedLoopIT {

    private static final String MODEL = "covid-ct";
    private static final Duration WAIT = LungflowServices.WAIT;
    private static LungflowServices services;

    @BeforeAll
    static void start() throws Exception {
        services = new LungflowServices(Map.of(
                "LUNGFLOW_TRAINER_CONTINUOUS_MODEL", MODEL,
                "LUNGFLOW_TRAINER_CONTINUOUS_MIN_NEW_LABELS", "0",
                "LUNGFLOW_TRAINER_CONTINUOUS_ARCHITECTURE", "cnn",
                "LUNGFLOW_TRAINER_CONTINUOUS_EPOCHS", "25",
                "LUNGFLOW_TRAINER_CONTINUOUS_INPUT_SIZE", "32",
                "LUNGFLOW_REGISTRY_GATE_MIN_LABELS", "20"),
                Map.of("LUNGFLOW_RESULTS_PERFORMANCE_REFRESH", "1s"));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void uploadPredictLabelMeasureTrainShadowGatePromoteRollBack() throws Exception {
        try {
            loop();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + services.logs(), e);
        }
    }

    private void loop() throws Exception {
        services.uploadDataset("synthetic-ct/");
        String v1 = services.train(MODEL, Map.of("name", MODEL, "dataset", Map.of("prefix", "synthetic-ct/"), "architecture", "cnn", "epochs", 25, "inputSize", 32));
        services.transition(MODEL, v1, Map.of("status", "ACTIVE", "reason", "first model")).then().statusCode(200);

        // Scans in, predictions out, labels confirmed: the ACTIVE version's live metrics count them.
        Random random = new Random(7);
        List<Scan> first = upload(40, random);
        awaitPredicted(first, v1);
        confirm(first);
        await().atMost(WAIT).untilAsserted(() -> assertThat(live(v1, "ACTIVE").getInt("labelled")).isEqualTo(40));
        // A DICOM instance takes the same path: predicted, and shown to the reviewer as PNG.
        String dicomScan = given().baseUri(LungflowServices.url(services.ingest)).contentType("application/dicom").body(dicomCt())
                .post("/api/v1/scans").then().statusCode(202).extract().path("scanId");
        awaitPredicted(List.of(new Scan(dicomScan, "covid")), v1);
        results().get("/api/v1/scans/" + dicomScan + "/image").then().statusCode(200).contentType("image/png");
        results().get("/api/v1/scans/" + dicomScan).then().body("modality", equalTo("CT")).body("dicom.studyInstanceUid", equalTo(TestDicom.STUDY_UID));
        JsonPath incumbent = live(v1, "ACTIVE");
        System.out.printf("ACTIVE %s on 40 confirmed labels: sensitivity %s, specificity %s, PPV %s%n", v1, incumbent.get("sensitivity"),
                incumbent.get("specificity"), incumbent.get("ppv"));
        assertThat(incumbent.getList("confusionMatrix.classes")).containsExactly("covid", "non-covid");

        // A version trained on the confirmed labels goes to SHADOW and is measured on the next scans.
        String v2 = services.awaitRun(MODEL, trainer().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/training-runs/from-labels")
                .then().statusCode(202).extract().path("runId"));
        await().atMost(WAIT).untilAsserted(() -> trainer().get("/api/v1/models/" + MODEL + "/versions/" + v2).then().body("status", equalTo("SHADOW")));
        List<Scan> second = upload(30, random);
        awaitPredicted(second, v1);
        confirm(second);
        await().atMost(WAIT).untilAsserted(() -> trainer().get("/api/v1/models/" + MODEL + "/versions/" + v2).then()
                .body("live.SHADOW.labelled", equalTo(30)));

        // A worse version (classes swapped) as the CANARY: the gate refuses it and says why.
        String v3 = services.train(MODEL, Map.of("name", MODEL, "dataset", Map.of("prefix", "synthetic-ct/"), "architecture", "cnn", "epochs", 25, "inputSize", 32,
                "classMap", Map.of("covid", "non-covid", "non-covid", "covid")));
        services.transition(MODEL, v3, Map.of("status", "CANARY", "canaryShare", 1.0, "reason", "deliberately wrong")).then().statusCode(200);
        awaitServing(v3, "CANARY");
        List<Scan> third = upload(24, random);
        awaitPredicted(third, null);
        confirm(third);
        await().atMost(WAIT).untilAsserted(() -> trainer().get("/api/v1/models/" + MODEL + "/versions/" + v3).then()
                .body("live.CANARY.labelled", equalTo(24)));
        String refusal = services.transition(MODEL, v3, Map.of("status", "ACTIVE", "reason", "should be refused")).then().statusCode(409)
                .body("code", equalTo("promotion-gate")).body("detail", containsString("sensitivity")).extract().path("detail");
        System.out.println("Gate on " + v3 + ": " + refusal);

        // The version trained on labels passes the gate and answers for the next scans.
        await().atMost(WAIT).untilAsserted(() -> trainer().get("/api/v1/models/" + MODEL + "/versions/" + v2).then()
                .body("live.SHADOW.labelled", equalTo(54)));
        JsonPath promoted = services.transition(MODEL, v2, Map.of("status", "ACTIVE", "reason", "better on live labels")).then().extract().jsonPath();
        System.out.println("Gate on " + v2 + ": " + promoted.prettify());
        assertThat(promoted.getBoolean("gate.passed")).isTrue();
        services.transition(MODEL, v3, Map.of("status", "RETIRED", "reason", "refused by the gate")).then().statusCode(200);
        awaitServing(v2, "ACTIVE");
        await().atMost(WAIT).untilAsserted(() -> given().baseUri(LungflowServices.url(services.inference)).get("/api/v1/deployments").then()
                .body("serving.findAll { it.role == 'CANARY' }.size()", equalTo(0)));
        awaitPredicted(upload(2, random), v2);

        // Rollback: the previous ACTIVE version answers again.
        trainer().contentType(ContentType.JSON).body(Map.of("reason", "system test")).post("/api/v1/models/" + MODEL + "/rollback")
                .then().statusCode(200).body("changed[0].version", equalTo(v1));
        awaitServing(v1, "ACTIVE");
        awaitPredicted(upload(2, random), v1);
        trainer().get("/api/v1/models/" + MODEL + "/versions/" + v2).then().body("status", equalTo("ROLLED_BACK"));
    }

    private record Scan(String id, String truth) {
    }

    /** A 64×64 chest CT slice as a PACS would send it: 12 bits stored, rescale intercept −1024, with patient data. */
    private static byte[] dicomCt() {
        return TestDicom.file(TestDicom.instance("CT", "CHEST", 64, 11), io.lungflow.dicom.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private List<Scan> upload(int count, Random random) throws Exception {
        List<Scan> scans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(label, 36, random, false), "png", png);
            String id = given().baseUri(LungflowServices.url(services.ingest)).contentType("image/png").header("Lungflow-Modality", "CT")
                    .body(png.toByteArray()).post("/api/v1/scans").then().statusCode(202).extract().path("scanId");
            scans.add(new Scan(id, label == 0 ? "covid" : "non-covid"));
        }
        return scans;
    }

    /** Waits until results shows every scan PREDICTED, by {@code version} when given. */
    private void awaitPredicted(List<Scan> scans, String version) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (Scan s : scans) {
                results().get("/api/v1/scans/" + s.id()).then().statusCode(200).body("status", equalTo("PREDICTED"));
                if (version != null) {
                    results().get("/api/v1/scans/" + s.id()).then().body("active.version", equalTo(version));
                }
            }
        });
    }

    /** Waits until inference serves {@code version} in {@code role}: scans uploaded from then on get its answer. */
    private void awaitServing(String version, String role) {
        await().atMost(WAIT).untilAsserted(() -> given().baseUri(LungflowServices.url(services.inference)).get("/api/v1/deployments").then()
                .statusCode(200).body("serving.find { it.role == '" + role + "' }.version", equalTo(version)));
    }

    private void confirm(List<Scan> scans) {
        for (Scan s : scans) {
            results().contentType(ContentType.JSON).header("Authorization", "Bearer " + Credentials.token("radiologist-1", "radiologist")).body(Map.of("label", s.truth()))
                    .post("/api/v1/scans/" + s.id() + "/label").then().statusCode(201);
        }
    }

    private JsonPath live(String version, String role) {
        List<Map<String, Object>> all = results().queryParam("model", MODEL).queryParam("version", version).get("/api/v1/performance")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.role == '" + role + "' }");
        assertThat(all).hasSize(1);
        return new JsonPath(io.restassured.path.json.JsonPath.from(toJson(all.get(0))).prettify());
    }

    private static String toJson(Object o) {
        try {
            return io.lungflow.schemas.EventJson.mapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RequestSpecification trainer() {
        return services.trainerApi();
    }

    private static RequestSpecification results() {
        return services.resultsApi();
    }
}
