package io.lungflow.trainer.api;

import io.lungflow.platform.problem.Problem;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.schemas.TrainingRunEvent;
import io.lungflow.trainer.labels.ContinuousConfig;
import io.lungflow.trainer.labels.ContinuousTraining;
import io.lungflow.trainer.runs.RunRequest;
import io.lungflow.trainer.runs.RunState;
import io.lungflow.trainer.runs.TrainingRuns;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Training runs: start one, follow it. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/training-runs")
@Tag(name = "training runs", description = "Train model versions; a finished run publishes a CANDIDATE")
public class TrainingRunsResource {

    private final TrainingRuns runs;
    private final ContinuousConfig continuous;

    TrainingRunsResource(TrainingRuns runs, ContinuousConfig continuous) {
        this.runs = runs;
        this.continuous = continuous;
    }

    @RolesAllowed(Roles.MLOPS)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a training run", description = "Runs are queued and run one at a time. Only the dataset is required.")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(implementation = TrainingRunEvent.class)))
    @APIResponse(responseCode = "400", description = "Invalid request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@NotNull(message = "a JSON body is required") @Valid RunRequest request) {
        TrainingRunEvent queued = runs.start(request, "api");
        return Response.accepted(queued).location(URI.create("/api/v1/training-runs/" + queued.runId())).build();
    }

    @RolesAllowed(Roles.MLOPS)
    @POST
    @Path("/from-labels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Train on the labels radiologists confirmed, now",
            description = "Same as a run with {\"dataset\": {\"labels\": true}}; the model defaults to lungflow.trainer.continuous.model. "
                    + "The new version is a CANDIDATE, and goes to SHADOW when lungflow.trainer.continuous.auto-shadow is on.")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(implementation = TrainingRunEvent.class)))
    public Response fromLabels(@Valid LabelRunRequest request) {
        RunRequest run = ContinuousTraining.onLabels(continuous, request != null && request.name() != null ? request.name() : continuous.model());
        if (request != null) {
            run = new RunRequest(run.name(), run.dataset(), or(request.architecture(), run.architecture()), or(request.epochs(), run.epochs()), null,
                    null, or(request.inputSize(), run.inputSize()), null, null, null, null, request.seed(), null);
        }
        TrainingRunEvent queued = runs.start(run, "api");
        return Response.accepted(queued).location(URI.create("/api/v1/training-runs/" + queued.runId())).build();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Optional choices for a run on confirmed labels. */
    public record LabelRunRequest(
            @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+)*") String name,
            @jakarta.validation.constraints.Pattern(regexp = "cnn|squeezenet|mobilenet|mobilenetv2") String architecture,
            @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(500) Integer epochs,
            @jakarta.validation.constraints.Min(16) @jakarta.validation.constraints.Max(1024) Integer inputSize,
            Long seed) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Runs known to this instance, newest first")
    public List<TrainingRunEvent> list() {
        return runs.list();
    }

    @GET
    @Path("/{runId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A run's latest state: queued, running (epoch, losses), succeeded (held-out metrics, artifact) or failed (why)")
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TrainingRunEvent get(@RestPath String runId) {
        return runs.get(runId).map(RunState::last)
                .orElseThrow(() -> ProblemException.notFound("run-not-found", "No training run " + runId + " is known here."));
    }
}
