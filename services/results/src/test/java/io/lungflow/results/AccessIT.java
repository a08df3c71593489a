package io.lungflow.results;

import static org.assertj.core.api.Assertions.assertThat;

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
}
