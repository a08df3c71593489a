package io.lungflow.trainer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.pseudonym.Pseudonymizer;
import io.lungflow.platform.security.Roles;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.trainer.registry.PromotionGate;
import io.lungflow.trainer.registry.Registry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The model registry: versions with their status, offline and live metrics; transitions and rollback. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/models")
@Tag(name = "models", description = "Model versions and their rollout: CANDIDATE → SHADOW → CANARY → ACTIVE → RETIRED, and rollback")
public class ModelsResource {

    /** The header naming who asks until sign-in exists; only its pseudonym is recorded. */

    private final Registry registry;
    private final Pseudonymizer pseudonyms;

    ModelsResource(Registry registry, Pseudonymizer pseudonyms) {
        this.registry = registry;
        this.pseudonyms = pseudonyms;
    }

    /** A version as MLOps sees it: its latest record and its live metrics per role. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(String model, String version, ModelStatus status, ModelStatus previousStatus, Double canaryShare,
            List<String> classes, String positiveClass, double threshold, ModelVersion.OfflineMetrics offlineMetrics,
            Map<Role, ModelPerformance> live, Instant changedAt, String changedBy, String reason) {
    }

    public record TransitionRequest(
            @NotNull(message = "name the status: SHADOW, CANARY, ACTIVE or RETIRED") ModelStatus status,
            @Schema(description = "For CANARY: the share of scans it answers for, above 0 and at most 1") Double canaryShare,
            @NotBlank(message = "say why") @Size(max = 512) String reason) {
    }

    public record RollbackRequest(@NotBlank(message = "say why") @Size(max = 512) String reason) {
    }

    /** What a transition published, and the gate's figures when it was consulted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransitionResult(List<VersionView> changed, PromotionGate.Verdict gate) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every registered version, by model, most recently changed first")
    public List<VersionView> list(@RestQuery String model) {
        List<VersionView> out = new ArrayList<>();
        for (ModelVersion v : registry.state().versions()) {
            if (model == null || model.equals(v.model())) {
                out.add(view(v));
            }
        }
        return out;
    }

    @GET
    @Path("/{model}/versions/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "404", description = "Unknown version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VersionView get(@RestPath String model, @RestPath String version) {
        return view(registry.state().version(model, version)
                .orElseThrow(() -> ProblemException.notFound("version-not-found", "No version " + version + " of model " + model + " is registered.")));
    }

    @RolesAllowed(Roles.MLOPS)
    @POST
    @Path("/{model}/versions/{version}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a version to SHADOW, CANARY (with a share), ACTIVE or RETIRED",
            description = "Becoming ACTIVE passes the promotion gate when another version is ACTIVE; the version it replaces is RETIRED. "
                    + "Who asks (the authenticated user) is recorded as a pseudonym, with the reason. Role: mlops.")
    @APIResponse(responseCode = "200", description = "Published on models.versions")
    @APIResponse(responseCode = "409", description = "Refused: the gate's failing figures, or a transition that is not allowed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TransitionResult transition(@RestPath String model, @RestPath String version,
            @NotNull(message = "a JSON body is required") @Valid TransitionRequest request, @Context SecurityContext security) {
        return result(registry.transition(model, version, request.status(), request.canaryShare(), request.reason(), who(security)));
    }

    @RolesAllowed(Roles.MLOPS)
    @POST
    @Path("/{model}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make the previous ACTIVE version ACTIVE again; the current one becomes ROLLED_BACK", description = "No gate: rolling back is always allowed.")
    @APIResponse(responseCode = "409", description = "Nothing to roll back to",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TransitionResult rollback(@RestPath String model, @NotNull(message = "a JSON body is required") @Valid RollbackRequest request,
            @Context SecurityContext security) {
        return result(registry.rollback(model, request.reason(), who(security)));
    }

    private TransitionResult result(Registry.Outcome outcome) {
        return new TransitionResult(outcome.published().stream().map(this::view).toList(), outcome.gate());
    }

    private String who(SecurityContext security) {
        return pseudonyms.pseudonym(security.getUserPrincipal().getName());
    }

    private VersionView view(ModelVersion v) {
        Map<Role, ModelPerformance> live = new TreeMap<>();
        for (Role role : Role.values()) {
            registry.state().performance(v.model(), v.version(), role).ifPresent(p -> live.put(role, p));
        }
        return new VersionView(v.model(), v.version(), v.status(), v.previousStatus(), v.canaryShare(), v.classes(), v.positiveClass(),
                v.threshold(), v.offlineMetrics(), live.isEmpty() ? null : live, v.changedAt(), v.changedBy(), v.reason());
    }
}
