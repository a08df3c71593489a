package io.lungflow.inference.registry;

import io.lungflow.inference.engine.LoadedModel;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import java.util.Optional;

/**
 * What serves one model at one moment: the ACTIVE version, and optionally a SHADOW (scores every
 * scan, never shown) and a CANARY (answers for a share of scans instead of the active one).
 */
public record Deployment(Slot active, Slot shadow, Slot canary) {

    /** A loaded version in a role, with the registry's record of it (threshold, canary share). */
    public record Slot(LoadedModel model, ModelVersion version, Role role) {
    }

    public static final Deployment EMPTY = new Deployment(null, null, null);

    public Optional<Slot> slot(Role role) {
        return Optional.ofNullable(switch (role) {
            case ACTIVE -> active;
            case SHADOW -> shadow;
            case CANARY -> canary;
        });
    }

    public Deployment with(Role role, Slot slot) {
        return switch (role) {
            case ACTIVE -> new Deployment(slot, shadow, canary);
            case SHADOW -> new Deployment(active, slot, canary);
            case CANARY -> new Deployment(active, shadow, slot);
        };
    }

    public double canaryShare() {
        return canary == null || canary.version().canaryShare() == null ? 0 : canary.version().canaryShare();
    }
}
