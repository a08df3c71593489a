package io.lungflow.results.messaging;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.ScanLabelled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** What results tells the others: confirmed labels and live performance. Both wait for the broker's ack. */
@ApplicationScoped
public class ResultsEvents {

    private static final URI SOURCE = EventMessages.source("results");
    private static final Duration ACK = Duration.ofSeconds(15);

    private final MutinyEmitter<ScanLabelled> labels;
    private final MutinyEmitter<ModelPerformance> performance;

    ResultsEvents(@Channel(Channels.SCANS_LABELS_OUT) MutinyEmitter<ScanLabelled> labels,
            @Channel(Channels.MODELS_PERFORMANCE) MutinyEmitter<ModelPerformance> performance) {
        this.labels = labels;
        this.performance = performance;
    }

    public void label(ScanLabelled label) {
        labels.sendMessage(EventMessages.message(SOURCE, label.scanId(), label.labelId(), label.scanId(), label)).await().atMost(ACK);
    }

    public void performance(ModelPerformance p) {
        performance.sendMessage(EventMessages.message(SOURCE, p.key(), UUID.randomUUID().toString(), p.key(), p)).await().atMost(ACK);
    }
}
