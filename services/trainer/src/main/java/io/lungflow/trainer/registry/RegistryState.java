package io.lungflow.trainer.registry;

import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelStatus;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registry knows: the latest record of every model version (from the compacted
 * models.versions log) and the live performance of every version and role (from
 * models.performance). Applying a record twice, or an older one after a newer, changes nothing.
 */
public final class RegistryState {

    private final Map<String, ModelVersion> versions = new HashMap<>();
    private final Map<String, ModelPerformance> performance = new HashMap<>();

    public synchronized void apply(ModelVersion v) {
        versions.merge(v.ref().key(), v, (old, now) -> now.changedAt().isBefore(old.changedAt()) ? old : now);
    }

    public synchronized void apply(ModelPerformance p) {
        performance.merge(p.key(), p, (old, now) -> now.updatedAt() != null && old.updatedAt() != null
                && now.updatedAt().isBefore(old.updatedAt()) ? old : now);
    }

    public synchronized Optional<ModelVersion> version(String model, String version) {
        return Optional.ofNullable(versions.get(model + ":" + version));
    }

    /** Every version, by model, newest change first. */
    public synchronized List<ModelVersion> versions() {
        List<ModelVersion> all = new ArrayList<>(versions.values());
        all.sort(Comparator.comparing(ModelVersion::model).thenComparing(ModelVersion::changedAt, Comparator.reverseOrder()));
        return all;
    }

    /** The version of a model that holds a status now (the most recently changed, as inference decides). */
    public synchronized Optional<ModelVersion> holding(String model, ModelStatus status) {
        return versions.values().stream().filter(v -> v.model().equals(model) && v.status() == status)
                .max(Comparator.comparing(ModelVersion::changedAt));
    }

    /** Every version of a model with a status (normally one). */
    public synchronized List<ModelVersion> allHolding(String model, ModelStatus status) {
        return versions.values().stream().filter(v -> v.model().equals(model) && v.status() == status).toList();
    }

    /** The version that was ACTIVE before the current one: the latest retired on the way out of ACTIVE. */
    public synchronized Optional<ModelVersion> previousActive(String model) {
        return versions.values().stream()
                .filter(v -> v.model().equals(model) && v.status() == ModelStatus.RETIRED && v.previousStatus() == ModelStatus.ACTIVE)
                .max(Comparator.comparing(ModelVersion::changedAt));
    }

    public synchronized Optional<ModelPerformance> performance(String model, String version, Role role) {
        return Optional.ofNullable(performance.get(model + ":" + version + ":" + role));
    }
}
