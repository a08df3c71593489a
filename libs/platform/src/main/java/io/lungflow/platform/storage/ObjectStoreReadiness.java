package io.lungflow.platform.storage;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the object store answers and every bucket the service needs exists. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    private final Buckets buckets;
    private final S3Config config;

    ObjectStoreReadiness(Buckets buckets, S3Config config) {
        this.buckets = buckets;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("object-store").withData("endpoint", config.endpoint());
        try {
            List<String> missing = buckets.missing();
            if (missing.isEmpty()) {
                return response.up().withData("buckets", String.join(",", config.buckets())).build();
            }
            return response.down().withData("missing-buckets", String.join(",", missing)).build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
