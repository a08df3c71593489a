package io.lungflow.testkit;

/** A running Kafka cluster of one broker, configured for a single node (replication factor 1 everywhere). */
public interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    /** Stops the broker; clients see it as gone. */
    @Override
    void close();

    static KafkaServer start() {
        return Mode.selected() == Mode.CONTAINERS ? ContainerKafka.start() : EmbeddedKafka.start();
    }
}
