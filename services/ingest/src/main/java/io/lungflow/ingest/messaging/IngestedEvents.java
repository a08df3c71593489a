package io.lungflow.ingest.messaging;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.schemas.ScanIngested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends {@code scans.ingested} and waits for the broker's acknowledgement (acks=all). */
@ApplicationScoped
public class IngestedEvents {

    private static final URI SOURCE = EventMessages.source("ingest");

    private final MutinyEmitter<ScanIngested> emitter;

    IngestedEvents(@Channel(Channels.SCANS_INGESTED) MutinyEmitter<ScanIngested> emitter) {
        this.emitter = emitter;
    }

    /** Returns once the broker has the event; throws if it refuses or does not answer in time. */
    public void publish(ScanIngested event, Duration timeout) {
        emitter.sendMessage(EventMessages.message(SOURCE, event.scanId(), UUID.randomUUID().toString(), event.scanId(), event))
                .await()
                .atMost(timeout);
    }
}
