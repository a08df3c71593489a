package io.lungflow.results;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lungflow.platform.problem.Problem;
import io.lungflow.testkit.KafkaResource;
import io.lungflow.testkit.PostgresResource;
import io.lungflow.testkit.RoleMatrix.Endpoint;
import io.lungflow.testkit.RoleMatrix;
import io.lungflow.testkit.S3Resource;
import io.lungflow.testkit.SecurityResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may call what on results: each endpoint admits exactly the roles it declares (reading is open
 * to every role); everyone else gets a 403 problem, and missing, expired, foreign or unknown
 * credentials a 401 problem.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(PostgresResource.class)
class AccessIT {

    @TestHTTPResource("/")
    URL base;

    @Test
    void eachEndpointAdmitsItsRolesAndRefusesTheRestWithAProblem() throws Exception {
        List<String> log = new RoleMatrix(base.toString()).check(List.of(
                Endpoint.get("/api/v1/scans", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/worklist", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/scans/00000000-0000-8000-8000-000000000000", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/scans/00000000-0000-8000-8000-000000000000/image", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/performance", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.post("/api/v1/scans/00000000-0000-8000-8000-000000000000/label", "application/json", "{\"label\":\"covid\"}", "radiologist")));
        System.out.println(String.join("\n", log));
        assertThat(log).isNotEmpty();
    }

    @Test
    void aPathHoldingNoScanIdOrAPageBeyondAnyResultIsABadRequestProblem() {
        // A NUL (%00), an overlong id and an upper-case one: refused before the database sees them, not a 500.
        for (String path : List.of("/api/v1/scans/00000000-0000-8000-8000-00000000000%00", "/api/v1/scans/" + "a".repeat(200),
                "/api/v1/scans/00000000-0000-8000-8000-00000000000A/image")) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("code", equalTo("invalid-scan-id"));
        }
        given().urlEncodingEnabled(false).contentType("application/json").body("{\"label\":\"covid\"}")
                .post("/api/v1/scans/%00/label").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().queryParam("page", Integer.MAX_VALUE).get("/api/v1/scans").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("invalid-page"));
        given().queryParam("page", Integer.MAX_VALUE).get("/api/v1/worklist").then().statusCode(400).body("code", equalTo("invalid-page"));
        given().queryParam("page", 3).get("/api/v1/worklist").then().statusCode(200);
    }

    @Test
    void thePagesMayNotBeFramedLoadOnlyTheirOwnCodeAndAreRevalidated() {
        for (String page : List.of("/review.html", "/review.js", "/lungflow-auth.js")) {
            given().get(page).then().statusCode(200)
                    .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'self'"))
                    .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", "no-cache");
        }
    }
}
