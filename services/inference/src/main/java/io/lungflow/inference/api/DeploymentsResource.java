package io.lungflow.inference.api;

import io.lungflow.inference.registry.Deployment;
import io.lungflow.inference.registry.ModelRegistry;
import io.lungflow.platform.security.Roles;
import io.lungflow.schemas.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What this instance serves now. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/deployments")
@Tag(name = "deployments", description = "Model versions this inference instance serves")
public class DeploymentsResource {

    private final ModelRegistry registry;

    DeploymentsResource(ModelRegistry registry) {
        this.registry = registry;
    }

    public record Served(String model, String version, Role role, double threshold, Double canaryShare, String device) {
    }

    public record State(List<Served> serving, Map<String, String> failed, Map<String, Integer> waiting) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Versions loaded per model and role, versions that failed to load, and scans waiting for a model")
    public State state() {
        List<Served> serving = new ArrayList<>();
        for (Map.Entry<String, Deployment> e : registry.deployments().entrySet()) {
            for (Role role : Role.values()) {
                e.getValue().slot(role).ifPresent(s -> serving.add(new Served(e.getKey(), s.version().version(), role,
                        s.version().threshold(), s.version().canaryShare(), null)));
            }
        }
        return new State(serving, registry.failures(), registry.waiting());
    }
}
