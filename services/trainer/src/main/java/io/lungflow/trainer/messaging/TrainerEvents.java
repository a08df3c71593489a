package io.lungflow.trainer.messaging;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.TrainingRunEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** What the trainer tells the others: model versions (the registry) and training runs. Both wait for the broker's ack. */
@ApplicationScoped
public class TrainerEvents {

    private static final URI SOURCE = EventMessages.source("trainer");
    private static final Duration ACK = Duration.ofSeconds(30);

    private final MutinyEmitter<ModelVersion> versions;
    private final MutinyEmitter<TrainingRunEvent> runs;

    TrainerEvents(@Channel(Channels.MODELS_VERSIONS) MutinyEmitter<ModelVersion> versions,
            @Channel(Channels.TRAINING_RUNS) MutinyEmitter<TrainingRunEvent> runs) {
        this.versions = versions;
        this.runs = runs;
    }

    public void version(ModelVersion version) {
        String key = version.ref().key();
        versions.sendMessage(EventMessages.message(SOURCE, key, UUID.randomUUID().toString(), key, version)).await().atMost(ACK);
    }

    public void run(TrainingRunEvent event) {
        runs.sendMessage(EventMessages.message(SOURCE, event.runId(), UUID.randomUUID().toString(), event.runId(), event))
                .await().atMost(ACK);
    }
}
