package io.lungflow.schemas;

import java.util.Optional;

/**
 * Every contract lungflow publishes: its schema, its Java type, and for events the topic and
 * CloudEvents type it travels with. A new incompatible version of a contract is a new constant
 * with a new schema file, never an edit of an old one.
 */
public enum Contract {
    SCAN_INGESTED("scans.ingested.v1", ScanIngested.class, Topics.SCANS_INGESTED, ScanIngested.CE_TYPE),
    SCAN_PREDICTED("scans.predicted.v1", ScanPredicted.class, Topics.SCANS_PREDICTED, ScanPredicted.CE_TYPE),
    SCAN_LABELLED("scans.labels.v1", ScanLabelled.class, Topics.SCANS_LABELS, ScanLabelled.CE_TYPE),
    MODEL_VERSION("models.versions.v1", ModelVersion.class, Topics.MODELS_VERSIONS, ModelVersion.CE_TYPE),
    MODEL_PERFORMANCE(
            "models.performance.v1", ModelPerformance.class, Topics.MODELS_PERFORMANCE, ModelPerformance.CE_TYPE),
    MODEL_DEPLOYMENT(
            "models.deployments.v1", ModelDeployment.class, Topics.MODELS_DEPLOYMENTS, ModelDeployment.CE_TYPE),
    TRAINING_RUN("training.runs.v1", TrainingRunEvent.class, Topics.TRAINING_RUNS, TrainingRunEvent.CE_TYPE),
    AUDIT_RECORD("audit.v1", AuditRecord.class, Topics.AUDIT, AuditRecord.CE_TYPE),
    MODEL_MANIFEST("model.manifest.v1", ModelManifest.class, null, null);

    /** Where the schemas sit on the classpath. */
    public static final String RESOURCE_DIR = "lungflow/schemas/";

    private final String schemaName;
    private final Class<?> javaType;
    private final String topic;
    private final String ceType;

    Contract(String schemaName, Class<?> javaType, String topic, String ceType) {
        this.schemaName = schemaName;
        this.javaType = javaType;
        this.topic = topic;
        this.ceType = ceType;
    }

    /** e.g. {@code scans.ingested.v1}: the schema file is {@code <name>.schema.json}, its examples {@code examples/<name>/}. */
    public String schemaName() {
        return schemaName;
    }

    public String schemaFile() {
        return schemaName + ".schema.json";
    }

    public String schemaResource() {
        return RESOURCE_DIR + schemaFile();
    }

    public Class<?> javaType() {
        return javaType;
    }

    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    public Optional<String> ceType() {
        return Optional.ofNullable(ceType);
    }

    public static Contract forType(Class<?> type) {
        for (Contract c : values()) {
            if (c.javaType == type) {
                return c;
            }
        }
        throw new IllegalArgumentException("No contract for " + type.getName());
    }
}
