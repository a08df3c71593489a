package io.lungflow.inference.messaging;

import io.lungflow.schemas.Topics;

/** The messaging channels of inference; application.properties binds each to its topic. */
public final class Channels {

    /** Incoming, batched, from {@link Topics#SCANS_INGESTED}. */
    public static final String SCANS_INGESTED = "scans-ingested";
    /** Incoming, replayed from the start at every start, from {@link Topics#MODELS_VERSIONS}. */
    public static final String MODELS_VERSIONS = "models-versions";
    /** Outgoing, to {@link Topics#SCANS_PREDICTED}. */
    public static final String SCANS_PREDICTED = "scans-predicted";
    /** Outgoing, to {@link Topics#MODELS_DEPLOYMENTS}. */
    public static final String MODELS_DEPLOYMENTS = "models-deployments";
    /** Outgoing, to {@code scans.ingested.dlq}: scans that cannot be processed at all. */
    public static final String SCANS_DEAD_LETTERS = "scans-dead-letters";

    /** Worker pool scoring scans.ingested batches; its max-concurrency is how many batches are in flight. */
    public static final String SCORING_POOL = "scan-scoring";

    private Channels() {
    }
}
