package io.lungflow.schemas;

import java.util.List;

/** Every Kafka topic lungflow uses, named once. Channel names in the services are these names too. */
public final class Topics {

    public static final String SCANS_INGESTED = "scans.ingested";
    public static final String SCANS_PREDICTED = "scans.predicted";
    public static final String SCANS_LABELS = "scans.labels";
    public static final String MODELS_VERSIONS = "models.versions";
    public static final String MODELS_PERFORMANCE = "models.performance";
    public static final String MODELS_DEPLOYMENTS = "models.deployments";
    public static final String TRAINING_RUNS = "training.runs";
    /** The audit trail: one partition (one order), kept forever. */
    public static final String AUDIT = "audit";

    /** Records that failed after retries go to {@code <topic>.dlq}, with the reason in headers. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** Topics whose latest record per key is the state: cleanup.policy=compact. */
    public static final List<String> COMPACTED = List.of(MODELS_VERSIONS, MODELS_PERFORMANCE);

    /** Topics kept forever (retention.ms=-1): the labels that train models, and the audit trail. */
    public static final List<String> KEPT_FOREVER = List.of(SCANS_LABELS, AUDIT);

    /** Topics whose records have one order: a single partition. */
    public static final List<String> SINGLE_PARTITION = List.of(MODELS_VERSIONS, MODELS_PERFORMANCE, AUDIT);

    public static final List<String> ALL =
            List.of(SCANS_INGESTED, SCANS_PREDICTED, SCANS_LABELS, MODELS_VERSIONS, MODELS_PERFORMANCE, MODELS_DEPLOYMENTS, TRAINING_RUNS, AUDIT);

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }

    private Topics() {
    }
}
