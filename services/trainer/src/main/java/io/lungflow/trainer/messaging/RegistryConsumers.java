package io.lungflow.trainer.messaging;

import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.trainer.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Rebuilds the registry from the compacted logs on every start (a consumer group of its own,
 * from the beginning): the versions' states from models.versions, their live metrics from
 * models.performance, which results publishes.
 */
@ApplicationScoped
public class RegistryConsumers {

    private final Registry registry;

    RegistryConsumers(Registry registry) {
        this.registry = registry;
    }

    @Incoming(Channels.MODELS_VERSIONS_IN)
    public void onVersion(ModelVersion version) {
        if (version != null) {
            registry.state().apply(version);
        }
    }

    @Incoming(Channels.MODELS_PERFORMANCE)
    public void onPerformance(ModelPerformance performance) {
        if (performance != null) {
            registry.state().apply(performance);
        }
    }
}
