package io.lungflow.inference.messaging;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.schemas.ModelDeployment;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Tells models.deployments what this instance did with a model version. */
@ApplicationScoped
public class DeploymentEvents {

    private static final Logger LOG = Logger.getLogger(DeploymentEvents.class);
    private static final URI SOURCE = EventMessages.source("inference");

    private final MutinyEmitter<ModelDeployment> emitter;

    DeploymentEvents(@Channel(Channels.MODELS_DEPLOYMENTS) MutinyEmitter<ModelDeployment> emitter) {
        this.emitter = emitter;
    }

    public void publish(ModelDeployment event) {
        String key = event.model() + ":" + event.version();
        emitter.sendMessage(EventMessages.message(SOURCE, key, UUID.randomUUID().toString(), key, event))
                .subscribe().with(done -> { }, failure -> LOG.warnf("Could not report deployment of %s: %s", key, failure.getMessage()));
    }
}
