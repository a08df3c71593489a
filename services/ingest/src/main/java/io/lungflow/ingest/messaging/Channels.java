package io.lungflow.ingest.messaging;

import io.lungflow.schemas.Topics;

/** The messaging channels of ingest; application.properties binds each to its topic. */
public final class Channels {

    /** Outgoing, bound to {@link Topics#SCANS_INGESTED}. */
    public static final String SCANS_INGESTED = "scans-ingested";

    private Channels() {
    }
}
