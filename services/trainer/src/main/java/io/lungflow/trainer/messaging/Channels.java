package io.lungflow.trainer.messaging;

import io.lungflow.schemas.Topics;

/** The messaging channels of the trainer; application.properties binds each to its topic. */
public final class Channels {

    /** Outgoing, to {@link Topics#MODELS_VERSIONS}. */
    public static final String MODELS_VERSIONS = "models-versions";
    /** Outgoing, to {@link Topics#TRAINING_RUNS}. */
    public static final String TRAINING_RUNS = "training-runs";

    private Channels() {
    }
}
