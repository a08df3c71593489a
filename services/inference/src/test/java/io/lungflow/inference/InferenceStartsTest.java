package io.lungflow.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The inference service starts and reports itself alive. */
@QuarkusTest
class InferenceStartsTest {

    @Test
    void reportsLiveness() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
