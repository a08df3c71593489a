package io.lungflow.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.platform.problem.Problem;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.KafkaResource;
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
 * Who may call what on ingest: each endpoint admits exactly the roles it declares (reading is open
 * to every role); everyone else gets a 403 problem, and missing, expired, foreign or unknown
 * credentials a 401 problem.
 */
@QuarkusTest
@WithTestResource(SecurityResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class AccessIT {

    @TestHTTPResource("/")
    URL base;

    @Test
    void eachEndpointAdmitsItsRolesAndRefusesTheRestWithAProblem() throws Exception {
        List<String> log = new RoleMatrix(base.toString()).check(List.of(
                Endpoint.post("/api/v1/scans", "image/png", "not a png", "pacs"),
                Endpoint.get("/api/v1/scans/00000000-0000-8000-8000-000000000000", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.post("/dicomweb/studies", "multipart/related; type=\"application/dicom\"; boundary=b", "--b--\r\n", "pacs")));
        System.out.println(String.join("\n", log));
        assertThat(log).isNotEmpty();
    }

    @Test
    void aTokenLivingTooLongOrIssuedInTheFutureIsRefused() {
        long now = System.currentTimeMillis() / 1000;
        long day = 24 * 3600;
        String[] refused = {
            Credentials.tokenLiving("two-centuries", "viewer", now, now + 200L * 365 * day), // expiry two centuries away
            Credentials.tokenLiving("future", "viewer", now + 3600, now + 7200), // issued an hour from now
            Credentials.tokenLiving("old", "viewer", now - 2 * day, now + 3600), // issued two days ago, still unexpired
        };
        List<Integer> statuses = java.util.Arrays.stream(refused).map(token -> given().header("Authorization", "Bearer " + token)
                .get("/api/v1/scans/00000000-0000-8000-8000-000000000000").then().contentType(Problem.MEDIA_TYPE).extract().statusCode())
                .toList();
        assertThat(statuses).as("two centuries, issued in an hour, issued two days ago").containsExactly(401, 401, 401);
        // A token of 8 hours, as ./lungflow token prints, is taken (404: no such scan, but authenticated).
        given().header("Authorization", "Bearer " + Credentials.tokenLiving("ordinary", "viewer", now, now + 8 * 3600))
                .get("/api/v1/scans/00000000-0000-8000-8000-000000000000").then().statusCode(404);
    }
}
