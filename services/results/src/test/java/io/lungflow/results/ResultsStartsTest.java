package io.lungflow.results;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The results service starts and reports itself alive. */
@QuarkusTest
class ResultsStartsTest {

    @Test
    void reportsLiveness() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
