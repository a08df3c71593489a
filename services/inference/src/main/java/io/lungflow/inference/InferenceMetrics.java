package io.lungflow.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Inference's metrics; labels name models, versions, roles and outcomes, never a scan or patient. */
@ApplicationScoped
public class InferenceMetrics {

    private final MeterRegistry registry;

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void predicted(String model, String version, String role, String outcome) {
        Counter.builder("lungflow.inference.results").description("Results sent on scans.predicted")
                .tag("model", model).tag("version", version).tag("role", role).tag("outcome", outcome)
                .register(registry).increment();
    }

    public void latency(Duration ingestedToPredicted) {
        Timer.builder("lungflow.inference.latency").description("From scans.ingested (received) to scans.predicted")
                .publishPercentiles(0.5, 0.99).register(registry).record(ingestedToPredicted);
    }

    public void forwardPass(String model, String version, int batchSize, Duration took) {
        Timer.builder("lungflow.inference.forward").description("One batched forward pass")
                .tag("model", model).tag("version", version).register(registry).record(took);
        DistributionSummary.builder("lungflow.inference.batch.size").description("Images per forward pass")
                .register(registry).record(batchSize);
    }
}
