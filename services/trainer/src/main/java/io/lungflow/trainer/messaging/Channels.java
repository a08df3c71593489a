package io.lungflow.trainer.messaging;

import io.lungflow.schemas.Topics;

/** The messaging channels of the trainer; application.properties binds each to its topic. */
public final class Channels {

    /** Outgoing, to {@link Topics#MODELS_VERSIONS}. */
    public static final String MODELS_VERSIONS = "models-versions";
    /** Outgoing, to {@link Topics#TRAINING_RUNS}. */
    public static final String TRAINING_RUNS = "training-runs";
    /** Incoming, the registry's own log read back from the beginning at each start. */
    public static final String MODELS_VERSIONS_IN = "models-versions-in";
    /** Incoming, live metrics per version and role from results. */
    public static final String MODELS_PERFORMANCE = "models-performance";
    /** Incoming, confirmed labels for continuous training. */
    public static final String SCANS_LABELS = "scans-labels";
    /** Incoming, where each scan's image is stored. */
    public static final String SCANS_INGESTED = "scans-ingested";

    private Channels() {
    }
}
