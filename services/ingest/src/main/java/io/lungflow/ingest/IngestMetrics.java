package io.lungflow.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Ingest's metrics. Labels carry only the channel, media type and rejection reason: never a
 * scan id, study or patient.
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String channel, String mediaType, long bytes, Duration took, boolean duplicate) {
        Counter.builder("lungflow.ingest.scans.accepted")
                .description("Scans stored and announced on scans.ingested")
                .tag("channel", channel)
                .tag("media_type", mediaType)
                .tag("duplicate", Boolean.toString(duplicate))
                .register(registry)
                .increment();
        DistributionSummary.builder("lungflow.ingest.bytes")
                .description("Size of accepted scans")
                .baseUnit("bytes")
                .tag("channel", channel)
                .register(registry)
                .record(bytes);
        Timer.builder("lungflow.ingest.duration")
                .description("Time from request to broker acknowledgement of an accepted scan")
                .tag("channel", channel)
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(took);
    }

    public void rejected(String channel, String reason) {
        Counter.builder("lungflow.ingest.scans.rejected")
                .description("Scans refused, by reason")
                .tag("channel", channel)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
