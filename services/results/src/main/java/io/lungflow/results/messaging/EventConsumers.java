package io.lungflow.results.messaging;

import io.lungflow.results.performance.LivePerformance;
import io.lungflow.results.store.DatabaseRetry;
import io.lungflow.results.store.ResultsStore;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Stores the four streams results follows. Each record is acknowledged only once it is in
 * PostgreSQL (see {@link DatabaseRetry}); a record that does not parse is refused and goes to
 * the topic's dead-letter topic.
 */
@ApplicationScoped
public class EventConsumers {

    private final ResultsStore store;
    private final LivePerformance performance;

    EventConsumers(ResultsStore store, LivePerformance performance) {
        this.store = store;
        this.performance = performance;
    }

    @Incoming(Channels.SCANS_INGESTED)
    @Blocking
    public void onIngested(ScanIngested event) {
        DatabaseRetry.apply("scan " + parsed(event, "scans.ingested").scanId(), () -> store.recordIngested(event));
    }

    @Incoming(Channels.SCANS_PREDICTED)
    @Blocking
    public void onPredicted(ScanPredicted event) {
        DatabaseRetry.apply("prediction " + parsed(event, "scans.predicted").predictionId(), () -> {
            if (store.recordPrediction(event)) {
                performance.changed();
            }
        });
    }

    @Incoming(Channels.SCANS_LABELS_IN)
    @Blocking
    public void onLabelled(ScanLabelled event) {
        DatabaseRetry.apply("label " + parsed(event, "scans.labels").labelId(), () -> {
            if (store.recordLabel(event)) {
                performance.changed();
            }
        });
    }

    @Incoming(Channels.MODELS_VERSIONS)
    @Blocking
    public void onVersion(ModelVersion event) {
        if (event == null) {
            return; // a tombstone: the version was deleted from the compacted log; its history stays
        }
        DatabaseRetry.apply("model version " + event.ref().key(), () -> store.recordVersion(event));
    }

    private static <T> T parsed(T event, String topic) {
        if (event == null) {
            throw new IllegalArgumentException("The record on " + topic + " is not a valid event");
        }
        return event;
    }
}
