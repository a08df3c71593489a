package io.lungflow.inference.messaging;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.schemas.ScanPredicted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Sends a batch's results and returns only once the broker has acknowledged every one (acks=all),
 * retrying while it cannot: a batch is acknowledged, and its offsets committed, only after its
 * results are safe. Results carry a deterministic id, so a retry that duplicates one is recognised
 * downstream.
 */
@ApplicationScoped
public class PredictionEvents {

    private static final Logger LOG = Logger.getLogger(PredictionEvents.class);
    private static final URI SOURCE = EventMessages.source("inference");

    private final MutinyEmitter<ScanPredicted> emitter;

    PredictionEvents(@Channel(Channels.SCANS_PREDICTED) MutinyEmitter<ScanPredicted> emitter) {
        this.emitter = emitter;
    }

    public void publishAll(List<ScanPredicted> events, Duration timeout) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        long backoff = 500;
        while (true) {
            try {
                List<Uni<Void>> sends = events.stream()
                        .map(e -> emitter.sendMessage(EventMessages.message(SOURCE, e.scanId(), e.predictionId(), e.scanId(), e)))
                        .toList();
                Uni.join().all(sends).andFailFast().await().atMost(timeout);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("The broker did not acknowledge %d result(s) (%s); retrying in %d ms", events.size(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(30_000, backoff * 2);
            }
        }
    }
}
