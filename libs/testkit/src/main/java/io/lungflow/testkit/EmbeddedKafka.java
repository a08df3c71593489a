package io.lungflow.testkit;

import java.util.logging.Logger;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A KRaft broker and controller in one node, in this JVM, from Apache Kafka's own test kit. */
final class EmbeddedKafka implements KafkaServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class.getName());

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static EmbeddedKafka start() {
        // A broker in the test JVM must not end it: Kafka halts or exits its process on fatal errors,
        // also while it is stopped by the JVM's shutdown hooks, and a test run would then end in a fork
        // error after every test had passed. Said on standard error, which outlives the log manager.
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                System.err.println("[testkit] the embedded Kafka broker asked to exit the JVM (" + code + "): " + message + "; refused"));
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                System.err.println("[testkit] the embedded Kafka broker asked to halt the JVM (" + code + "): " + message + "; refused"));
        long started = System.nanoTime();
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    // A single node: internal topics cannot have three replicas, and consumers
                    // receive nothing while the offsets topic cannot be created.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("min.insync.replicas", "1")
                    .setConfigProp("default.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            LOG.info(() -> "Kafka broker up at " + cluster.bootstrapServers() + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            return new EmbeddedKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warning("Kafka broker did not stop cleanly: " + e);
        }
    }
}
