package io.lungflow.results.messaging;

/** The channel names of results; application.properties maps each to its topic. */
public final class Channels {

    public static final String SCANS_INGESTED = "scans-ingested";
    public static final String SCANS_PREDICTED = "scans-predicted";
    public static final String SCANS_LABELS_IN = "scans-labels-in";
    public static final String SCANS_LABELS_OUT = "scans-labels-out";
    public static final String MODELS_VERSIONS = "models-versions";
    public static final String MODELS_PERFORMANCE = "models-performance";
    public static final String AUDIT = "audit";

    private Channels() {
    }
}
