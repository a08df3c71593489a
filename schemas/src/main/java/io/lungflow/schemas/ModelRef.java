package io.lungflow.schemas;

/** A model version by name. */
public record ModelRef(String name, String version) {

    /** The Kafka key of this version on models.versions and models.performance. */
    public String key() {
        return name + ":" + version;
    }

    @Override
    public String toString() {
        return key();
    }
}
