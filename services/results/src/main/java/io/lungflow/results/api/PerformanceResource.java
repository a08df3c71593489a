package io.lungflow.results.api;

import io.lungflow.platform.security.Roles;
import io.lungflow.results.performance.LivePerformance;
import io.lungflow.schemas.ModelPerformance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Live metrics per model version and role, against confirmed labels. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/performance")
@Tag(name = "performance", description = "Confusion matrix, sensitivity, specificity and PPV of each model version and role on confirmed labels")
public class PerformanceResource {

    private final LivePerformance performance;

    PerformanceResource(LivePerformance performance) {
        this.performance = performance;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every version and role that made predictions, most recently updated first",
            description = "Rates are null until their denominator is non-zero. The same figures are on models.performance and at /q/metrics.")
    public List<ModelPerformance> list(@RestQuery String model, @RestQuery String version) {
        return performance.compute(model, version);
    }
}
