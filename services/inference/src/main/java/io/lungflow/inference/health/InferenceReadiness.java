package io.lungflow.inference.health;

import io.lungflow.inference.messaging.ModelVersionsConsumer;
import io.lungflow.inference.registry.Deployment;
import io.lungflow.inference.registry.ModelRegistry;
import io.lungflow.schemas.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when models.versions has been replayed and no scan is waiting for a model: otherwise DOWN,
 * saying why (which model has no ACTIVE version, and how many scans wait for it). Lists what
 * serves, and versions that failed to deploy.
 */
@Readiness
@ApplicationScoped
public class InferenceReadiness implements HealthCheck {

    private final ModelRegistry registry;
    private final ModelVersionsConsumer versions;

    InferenceReadiness(ModelRegistry registry, ModelVersionsConsumer versions) {
        this.registry = registry;
        this.versions = versions;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models");
        for (Map.Entry<String, Deployment> e : registry.deployments().entrySet()) {
            for (Role role : Role.values()) {
                e.getValue().slot(role).ifPresent(s -> response.withData(e.getKey() + " " + role, s.version().version()));
            }
        }
        registry.failures().forEach((version, reason) -> response.withData("failed " + version, reason));
        if (!versions.caughtUp()) {
            return response.down().withData("reason", "replaying models.versions").build();
        }
        Map<String, Integer> waiting = registry.waiting();
        if (!waiting.isEmpty()) {
            StringBuilder reason = new StringBuilder();
            waiting.forEach((model, scans) -> reason.append(reason.isEmpty() ? "" : "; ").append(scans)
                    .append(" scan(s) wait for an ACTIVE version of model ").append(model));
            return response.down().withData("reason", reason.toString()).build();
        }
        if (registry.deployments().values().stream().noneMatch(d -> d.active() != null)) {
            return response.down().withData("reason", "no model version is ACTIVE yet; scans will wait on scans.ingested until one is").build();
        }
        return response.up().build();
    }
}
