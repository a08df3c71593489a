package io.lungflow.trainer.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.schemas.EventJson;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.Topics;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.EventProducer;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.lungflow.testkit.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry against a real broker: versions published on models.versions are listed with the
 * live metrics results publishes on models.performance; transitions are events with who and why;
 * the gate lets a better version through and refuses a worse one with its figures; rollback
 * returns to the previous ACTIVE.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class RegistryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MODEL = "it-registry";

    @InjectInfrastructure
    KafkaServer kafka;

    @Test
    void rolloutThroughTheGateAndBack() throws Exception {
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            for (String v : List.of("1", "2", "3", "4")) {
                producer.send(Topics.MODELS_VERSIONS, MODEL + ":" + v, candidate(v));
            }
            await().atMost(WAIT).untilAsserted(() -> given().queryParam("model", MODEL).get("/api/v1/models").then().body("size()", equalTo(4)));

            // The first version has nobody to compare with: it becomes ACTIVE at once.
            move("1", Map.of("status", "ACTIVE", "reason", "first model")).then().statusCode(200)
                    .body("changed[0].status", equalTo("ACTIVE")).body("gate", org.hamcrest.Matchers.nullValue());
            move("2", Map.of("status", "SHADOW", "reason", "evaluate on live traffic")).then().statusCode(200);
            move("3", Map.of("status", "SHADOW", "reason", "evaluate the other")).then().statusCode(200)
                    .body("changed[1].version", equalTo("2")).body("changed[1].status", equalTo("RETIRED"));
            move("2", Map.of("status", "CANARY", "canaryShare", 0.3, "reason", "10% of traffic")).then().statusCode(200)
                    .body("changed[0].canaryShare", equalTo(0.3f));
            move("2", Map.of("status", "CANARY", "reason", "no share")).then().statusCode(400).contentType("application/problem+json");

            // Live metrics, as results publishes them: the incumbent at sensitivity 0.8 / specificity 0.9.
            producer.send(Topics.MODELS_PERFORMANCE, MODEL + ":1:ACTIVE", perf("1", Role.ACTIVE, 40, 10, 45, 5));
            producer.send(Topics.MODELS_PERFORMANCE, MODEL + ":2:CANARY", perf("2", Role.CANARY, 26, 4, 27, 3));
            producer.send(Topics.MODELS_PERFORMANCE, MODEL + ":3:SHADOW", perf("3", Role.SHADOW, 21, 9, 28, 2));
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/models/" + MODEL + "/versions/3").then()
                    .body("live.SHADOW.labelled", equalTo(60)));

            move("3", Map.of("status", "ACTIVE", "reason", "try the worse one")).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("sensitivity 0.700 is below the incumbent's 0.800"));
            move("4", Map.of("status", "ACTIVE", "reason", "no evidence")).then().statusCode(409)
                    .body("detail", containsString("only 0 confirmed labels"));

            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + Credentials.token("alice@mlops", "mlops")).body(Map.of("status", "ACTIVE", "reason", "better on 60 labels"))
                    .post("/api/v1/models/" + MODEL + "/versions/2/transitions").then().statusCode(200)
                    .body("gate.passed", equalTo(true))
                    .body("changed[0].status", equalTo("ACTIVE"))
                    .body("changed[1].version", equalTo("1")).body("changed[1].status", equalTo("RETIRED"));
            ModelVersion promoted = awaitVersion("2", ModelStatus.ACTIVE);
            assertThat(promoted.changedBy()).startsWith("hmac-sha256:").doesNotContain("alice");
            assertThat(promoted.reason()).contains("better on 60 labels").contains("sensitivity 0.867");
            assertThat(promoted.previousStatus()).isEqualTo(ModelStatus.CANARY);

            move("2", Map.of("status", "RETIRED", "reason", "leave nothing active")).then().statusCode(409);

            given().contentType(ContentType.JSON).body(Map.of("reason", "complaints from the ward")).post("/api/v1/models/" + MODEL + "/rollback")
                    .then().statusCode(200)
                    .body("changed[0].version", equalTo("1")).body("changed[0].status", equalTo("ACTIVE"))
                    .body("changed[1].version", equalTo("2")).body("changed[1].status", equalTo("ROLLED_BACK"));
            TopicReader.Event back = new TopicReader(kafka.bootstrapServers()).await(Topics.MODELS_VERSIONS,
                    r -> r.key().equals(MODEL + ":1") && r.value().contains("rollback from 2"), WAIT);
            assertThat(EventJson.mapper().readValue(back.value(), ModelVersion.class).status()).isEqualTo(ModelStatus.ACTIVE);
            given().get("/api/v1/models/" + MODEL + "/versions/2").then().body("status", equalTo("ROLLED_BACK"));
        }
    }

    private static io.restassured.response.Response move(String version, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/models/" + MODEL + "/versions/" + version + "/transitions");
    }

    private ModelVersion awaitVersion(String version, ModelStatus status) throws Exception {
        TopicReader.Event e = new TopicReader(kafka.bootstrapServers()).await(Topics.MODELS_VERSIONS,
                r -> r.key().equals(MODEL + ":" + version) && r.value().contains("\"status\":\"" + status + "\""), WAIT);
        return EventJson.mapper().readValue(e.value(), ModelVersion.class);
    }

    private static ModelVersion candidate(String version) {
        return new ModelVersion(MODEL, version, ModelStatus.CANDIDATE, null, null,
                new ModelVersion.Artifact("models", "models/" + MODEL + "/" + version + "/", "d".repeat(64)), List.of("covid", "non-covid"),
                "covid", 0.5, new ModelVersion.OfflineMetrics(100, 0.8, 0.8, 0.8, 0.85, 0.8, "test"), Instant.now(), "trainer", "test run");
    }

    private static ModelPerformance perf(String version, Role role, long tp, long fn, long tn, long fp) {
        return new ModelPerformance(MODEL, version, role, "covid", tp + fn + tn + fp,
                new ModelPerformance.ConfusionMatrix(List.of("covid", "non-covid"), List.of(List.of(tp, fn), List.of(fp, tn))),
                (double) tp / (tp + fn), (double) tn / (tn + fp), (double) tp / (tp + fp), (double) (tp + tn) / (tp + fn + tn + fp), Instant.now());
    }


}
