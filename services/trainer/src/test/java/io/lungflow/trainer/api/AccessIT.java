package io.lungflow.trainer.api;

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
 * Who may call what on the trainer: each endpoint admits exactly the roles it declares (reading is open
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
                Endpoint.get("/api/v1/models", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/models/no-such-model/versions/1", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/training-runs", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.get("/api/v1/training-runs/no-such-run", "pacs", "radiologist", "mlops", "viewer"),
                Endpoint.post("/api/v1/models/no-such-model/versions/1/transitions", "application/json", "{\"status\":\"SHADOW\",\"reason\":\"access test\"}", "mlops"),
                Endpoint.post("/api/v1/models/no-such-model/rollback", "application/json", "{\"reason\":\"access test\"}", "mlops"),
                Endpoint.post("/api/v1/training-runs", "application/json", "{}", "mlops"),
                Endpoint.post("/api/v1/training-runs/from-labels", "application/json", "{\"epochs\":0}", "mlops")));
        System.out.println(String.join("\n", log));
        assertThat(log).isNotEmpty();
    }
}
