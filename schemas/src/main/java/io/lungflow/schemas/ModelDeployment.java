package io.lungflow.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What an inference instance did with a model version (schema {@code models.deployments.v1}):
 * loaded it into a role, failed to (the previous version keeps serving), or unloaded it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDeployment(
        String model, String version, Role role, Outcome outcome, String reason, String instance, String device, Double loadMillis,
        Instant at) {

    public static final String CE_TYPE = "io.lungflow.model.deployment.v1";

    public enum Outcome {
        LOADED,
        FAILED,
        UNLOADED
    }
}
