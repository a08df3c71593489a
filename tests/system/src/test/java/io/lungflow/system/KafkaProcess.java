package io.lungflow.system;

import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.KafkaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Apache Kafka broker of the local stack (libs/localstack's classpath), run as a process of
 * its own with a fixed port and data directory, so that a test can kill it and start it again, as
 * an operator's restart or a crash would, and so that its listener can speak TLS or SASL.
 */
final class KafkaProcess implements KafkaServer {

    private static final Path ROOT = Path.of(System.getProperty("lungflow.root", "../..")).toAbsolutePath().normalize();

    private final Path dir;
    private final int port;
    private final Path config;
    private ChildProcess broker;

    /** A broker on {@code port} whose client listener speaks {@code protocol}, with {@code extra} broker settings. */
    KafkaProcess(Path dir, int port, String protocol, Map<String, String> extra) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.port = port;
        int controller = ChildProcess.freePort();
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=" + protocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=" + protocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + protocol,
                "listener.security.protocol.map=" + protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0"));
        extra.forEach((k, v) -> lines.add(k + "=" + v));
        config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n", lines) + "\n");
        try (ChildProcess format = ChildProcess.start("kafka-format", classpath(), logging(), "kafka.tools.StorageTool",
                List.of("format", "--standalone", "-t", "lungflow-test-cluster-0001", "-c", config.toString()), dir.resolve("format.log"))) {
            format.awaitExit(Duration.ofSeconds(60));
        }
        start();
    }

    /** A plain-text broker with lungflow's topics, as the local stack runs it. */
    static KafkaProcess plaintext(Path dir) throws Exception {
        KafkaProcess kafka = new KafkaProcess(dir, ChildProcess.freePort(), "PLAINTEXT", Map.of());
        List<Path> classpath = new ArrayList<>(classpath());
        classpath.add(ROOT.resolve("libs/localstack/target/classes"));
        try (ChildProcess topics = ChildProcess.start("create-topics", classpath, logging(), "io.lungflow.localstack.CreateTopics",
                List.of(kafka.bootstrapServers()), dir.resolve("topics.log"))) {
            topics.awaitExit(Duration.ofSeconds(60));
        }
        return kafka;
    }

    void start() {
        broker = ChildProcess.start("kafka", classpath(), logging(), "kafka.Kafka", List.of(config.toString()), dir.resolve("kafka.log"));
        broker.awaitPort(port, Duration.ofSeconds(90));
    }

    /** SIGKILL, as a crash: nothing flushed, nothing said goodbye. */
    void kill() {
        broker.kill();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private static List<String> logging() {
        return List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + ROOT.resolve("libs/localstack/target/classes/kafka-log4j2.xml"));
    }

    private static List<Path> classpath() {
        try {
            List<Path> out = new ArrayList<>();
            for (String entry : Files.readString(ROOT.resolve("libs/localstack/target/classpath.txt")).strip().split(java.io.File.pathSeparator)) {
                out.add(Path.of(entry));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
