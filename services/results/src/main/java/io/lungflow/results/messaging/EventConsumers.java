package io.lungflow.results.messaging;

import io.lungflow.platform.database.DatabaseRetry;
import io.lungflow.results.performance.LivePerformance;
import io.lungflow.results.store.ResultsStore;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Stores the four streams results follows. A record is acknowledged only once it is in
 * PostgreSQL (see {@link DatabaseRetry}); one that does not parse is refused and goes to the
 * topic's dead-letter topic; one caught by a shutdown is left unacknowledged, so the next start
 * reads it again instead of losing it.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final ResultsStore store;
    private final LivePerformance performance;
    private final AtomicBoolean stopping = new AtomicBoolean();

    EventConsumers(ResultsStore store, LivePerformance performance) {
        this.store = store;
        this.performance = performance;
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping.set(true);
    }

    @Incoming(Channels.SCANS_INGESTED)
    @Blocking
    public CompletionStage<Void> onIngested(Message<ScanIngested> message) {
        return handle(message, "scans.ingested", e -> "scan " + e.scanId(), store::recordIngested);
    }

    @Incoming(Channels.SCANS_PREDICTED)
    @Blocking
    public CompletionStage<Void> onPredicted(Message<ScanPredicted> message) {
        return handle(message, "scans.predicted", e -> "prediction " + e.predictionId(), e -> {
            if (store.recordPrediction(e)) {
                performance.changed();
            }
        });
    }

    @Incoming(Channels.SCANS_LABELS_IN)
    @Blocking
    public CompletionStage<Void> onLabelled(Message<ScanLabelled> message) {
        return handle(message, "scans.labels", e -> "label " + e.labelId(), e -> {
            if (store.recordLabel(e)) {
                performance.changed();
            }
        });
    }

    @Incoming(Channels.MODELS_VERSIONS)
    @Blocking
    public CompletionStage<Void> onVersion(Message<ModelVersion> message) {
        if (message.getPayload() == null) {
            return message.ack(); // a tombstone: the version left the compacted log; its history stays
        }
        return handle(message, "models.versions", e -> "model version " + e.ref().key(), store::recordVersion);
    }

    private <T> CompletionStage<Void> handle(Message<T> message, String topic, Function<T, String> name, Consumer<T> write) {
        T event = message.getPayload();
        if (event == null) {
            return message.nack(new IllegalArgumentException("The record on " + topic + " is not a valid event"));
        }
        try {
            DatabaseRetry.apply(name.apply(event), () -> write.accept(event));
            return message.ack();
        } catch (RuntimeException e) {
            if (stopping.get()) {
                LOG.infof("Stopping: %s is left unacknowledged and is read again at the next start", name.apply(event));
                return CompletableFuture.completedFuture(null);
            }
            return message.nack(e);
        }
    }
}
