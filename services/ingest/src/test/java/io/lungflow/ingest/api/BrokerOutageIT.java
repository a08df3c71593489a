package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.lungflow.ingest.TestImages;
import io.lungflow.testkit.InjectInfrastructure;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.KafkaServer;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * With the broker gone, an upload is not accepted: the client gets 503 with Retry-After, and the
 * service itself stays alive (liveness up, readiness down) to accept again when the broker returns.
 * The broker here is this test's own, so stopping it disturbs no other test.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(value = KafkaResource.class, initArgs = @ResourceArg(name = "isolated", value = "true"))
@WithTestResource(S3Resource.class)
class BrokerOutageIT {

    @InjectInfrastructure
    KafkaServer kafka;

    @Test
    void uploadsGet503WhileTheBrokerIsDownAndTheServiceStaysAlive() {
        given().contentType("image/png").body(TestImages.png(96, 96, 201)).post("/api/v1/scans").then().statusCode(202);

        kafka.close();

        given().contentType("image/png").body(TestImages.png(96, 96, 202)).post("/api/v1/scans")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("broker-unavailable"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503);
    }
}
