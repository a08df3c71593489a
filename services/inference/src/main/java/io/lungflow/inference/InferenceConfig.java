package io.lungflow.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the inference service; each has an environment variable, e.g. {@code LUNGFLOW_INFERENCE_FETCH_CONCURRENCY}. */
@ConfigMapping(prefix = "lungflow.inference")
public interface InferenceConfig {

    /**
     * The model that classifies each modality, e.g. {@code lungflow.inference.routes.CT=covid-ct}.
     * Scans of a modality not listed, or of none, go to {@link #defaultModel()}.
     */
    Map<String, String> routes();

    @WithDefault("covid-ct")
    String defaultModel();

    /** Objects fetched from S3 at once while a batch is prepared. */
    @WithDefault("8")
    int fetchConcurrency();

    /**
     * Largest batch one forward pass takes; a larger poll is split. On a 2-core CPU batches of 8
     * ran faster per image than 32 (./lungflow bench inference); on a GPU raise it.
     */
    @WithDefault("8")
    int maxBatch();

    /** TensorFlow threads for one operation (TensorFlow sees the host's cores, not a container's share). */
    @WithDefault("2")
    int intraOpThreads();

    /** TensorFlow operations run at once. */
    @WithDefault("1")
    int interOpThreads();

    /** Where model versions are downloaded to; a temporary directory by default. */
    Optional<String> modelCache();

    /** How long emitting a batch's results may wait for the broker before it is retried. */
    @WithDefault("30s")
    Duration brokerAckTimeout();

    /** This instance's name in models.deployments events. */
    @WithDefault("${HOSTNAME:inference}")
    String instance();
}
