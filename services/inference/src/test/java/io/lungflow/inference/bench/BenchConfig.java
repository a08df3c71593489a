package io.lungflow.inference.bench;

import io.lungflow.inference.InferenceConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The service's defaults (2 intra-op threads, 1 inter-op), for the raw predictor the benchmark compares with. */
public final class BenchConfig {

    private BenchConfig() {
    }

    public static InferenceConfig config() {
        return new InferenceConfig() {
            @Override
            public Map<String, String> routes() {
                return Map.of();
            }

            @Override
            public String defaultModel() {
                return "covid-ct";
            }

            @Override
            public int fetchConcurrency() {
                return 8;
            }

            @Override
            public int maxBatch() {
                return 32;
            }

            @Override
            public int intraOpThreads() {
                return 2;
            }

            @Override
            public int interOpThreads() {
                return 1;
            }

            @Override
            public Optional<String> modelCache() {
                return Optional.empty();
            }

            @Override
            public Duration brokerAckTimeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public String instance() {
                return "bench";
            }
        };
    }
}
