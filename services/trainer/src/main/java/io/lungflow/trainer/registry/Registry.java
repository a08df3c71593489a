package io.lungflow.trainer.registry;

import io.lungflow.platform.problem.ProblemException;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.trainer.messaging.TrainerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The model registry: moves versions through CANDIDATE → SHADOW → CANARY → ACTIVE → RETIRED, and
 * rolls back to the previous ACTIVE. Every transition is a models.versions event saying who asked
 * and why; the one that makes a version ACTIVE passes the {@link PromotionGate} first. One
 * version per model holds each of SHADOW, CANARY and ACTIVE: the one it replaces is retired.
 */
@ApplicationScoped
public class Registry {

    private static final Logger LOG = Logger.getLogger(Registry.class);
    private static final Set<ModelStatus> MOVABLE_BY_REQUEST = EnumSet.of(ModelStatus.SHADOW, ModelStatus.CANARY, ModelStatus.ACTIVE,
            ModelStatus.RETIRED);

    /** A transition that happened, and the gate's verdict where one was needed. */
    public record Outcome(List<ModelVersion> published, PromotionGate.Verdict gate) {
    }

    private final RegistryState state = new RegistryState();
    private final TrainerEvents events;
    private final GateConfig gateConfig;
    private final PromotionGate gate;

    Registry(TrainerEvents events, GateConfig gateConfig) {
        this.events = events;
        this.gateConfig = gateConfig;
        this.gate = new PromotionGate(gateConfig);
    }

    public RegistryState state() {
        return state;
    }

    /** Publishes a new version (a finished training run) as a CANDIDATE. */
    public void register(ModelVersion candidate) {
        publish(candidate);
    }

    public synchronized Outcome transition(String model, String version, ModelStatus target, Double canaryShare, String reason, String who) {
        ModelVersion v = state.version(model, version)
                .orElseThrow(() -> ProblemException.notFound("version-not-found", "No version " + version + " of model " + model + " is registered."));
        if (!MOVABLE_BY_REQUEST.contains(target)) {
            throw ProblemException.badRequest("invalid-status", "A version can be moved to SHADOW, CANARY, ACTIVE or RETIRED; "
                    + "ROLLED_BACK is the result of a rollback (POST /api/v1/models/" + model + "/rollback).");
        }
        if (v.status() == ModelStatus.ACTIVE) {
            throw ProblemException.conflict("version-is-active", model + " " + version + " is ACTIVE: promote another version or roll back.");
        }
        if (target == v.status() && target != ModelStatus.CANARY) {
            throw ProblemException.conflict("no-change", model + " " + version + " is already " + target + ".");
        }
        Double share = null;
        if (target == ModelStatus.CANARY) {
            if (canaryShare == null || canaryShare <= 0 || canaryShare > 1) {
                throw ProblemException.badRequest("invalid-canary-share", "A CANARY needs a canaryShare above 0 and at most 1, the share of scans it answers for.");
            }
            share = canaryShare;
        }
        Instant now = Instant.now();
        List<ModelVersion> published = new ArrayList<>();
        PromotionGate.Verdict verdict = null;
        if (target == ModelStatus.ACTIVE) {
            Optional<ModelVersion> incumbent = state.holding(model, ModelStatus.ACTIVE);
            if (incumbent.isPresent() && gateConfig.enabled()) {
                verdict = gate.evaluate(evaluation(v), state.performance(model, incumbent.get().version(), Role.ACTIVE), v.positiveClass());
                if (!verdict.passed()) {
                    LOG.infof("Gate refused %s %s: %s", model, version, verdict.reasons());
                    throw ProblemException.conflict("promotion-gate", "The promotion gate refused " + model + " " + version + " against "
                            + incumbent.get().version() + ": " + String.join("; ", verdict.reasons()) + ".");
                }
            }
            String why = reason + (verdict != null ? " (gate: " + String.join("; ", verdict.reasons()) + ")" : "");
            published.add(publish(moved(v, ModelStatus.ACTIVE, null, now, who, why)));
            incumbent.ifPresent(old -> published.add(publish(moved(old, ModelStatus.RETIRED, null, now, who, "replaced by " + version))));
        } else {
            List<ModelVersion> replaced = target == ModelStatus.SHADOW || target == ModelStatus.CANARY
                    ? state.allHolding(model, target).stream().filter(other -> !other.version().equals(version)).toList()
                    : List.of();
            published.add(publish(moved(v, target, share, now, who, reason)));
            for (ModelVersion other : replaced) {
                published.add(publish(moved(other, ModelStatus.RETIRED, null, now, who, "replaced as " + target + " by " + version)));
            }
        }
        return new Outcome(published, verdict);
    }

    /** Makes the previous ACTIVE version ACTIVE again and marks the current one ROLLED_BACK. */
    public synchronized Outcome rollback(String model, String reason, String who) {
        ModelVersion current = state.holding(model, ModelStatus.ACTIVE)
                .orElseThrow(() -> ProblemException.conflict("nothing-active", "Model " + model + " has no ACTIVE version to roll back."));
        ModelVersion previous = state.previousActive(model)
                .orElseThrow(() -> ProblemException.conflict("no-previous-version", "Model " + model + " has had no other ACTIVE version to return to."));
        Instant now = Instant.now();
        List<ModelVersion> published = new ArrayList<>();
        published.add(publish(moved(previous, ModelStatus.ACTIVE, null, now, who, "rollback from " + current.version() + ": " + reason)));
        published.add(publish(moved(current, ModelStatus.ROLLED_BACK, null, now, who, reason)));
        return new Outcome(published, null);
    }

    /** The candidate's live performance as SHADOW and as CANARY. */
    public List<ModelPerformance> evaluation(ModelVersion v) {
        List<ModelPerformance> roles = new ArrayList<>();
        state.performance(v.model(), v.version(), Role.SHADOW).ifPresent(roles::add);
        state.performance(v.model(), v.version(), Role.CANARY).ifPresent(roles::add);
        return roles;
    }

    private ModelVersion publish(ModelVersion v) {
        try {
            events.version(v);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("broker-unavailable", "The transition was not recorded because the message broker did not "
                    + "confirm it; nothing changed, try again.", Duration.ofSeconds(5), e);
        }
        state.apply(v);
        LOG.infof("%s %s: %s → %s by %s (%s)", v.model(), v.version(), v.previousStatus(), v.status(), v.changedBy(), v.reason());
        return v;
    }

    private static ModelVersion moved(ModelVersion v, ModelStatus status, Double share, Instant at, String who, String reason) {
        return new ModelVersion(v.model(), v.version(), status, v.status(), share, v.artifact(), v.classes(), v.positiveClass(), v.threshold(),
                v.offlineMetrics(), at, who, reason.length() > 1024 ? reason.substring(0, 1024) : reason);
    }
}
