package io.lungflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The embedded infrastructure is real: a record produced reaches a consumer group, an object
 * stored with SigV4 credentials reads back (and survives an outage), rows survive a PostgreSQL
 * restart, and a child process dies with its parent.
 */
class EmbeddedInfrastructureIT {

    @Test
    void kafkaDeliversToAConsumerGroup() {
        try (KafkaServer kafka = EmbeddedKafka.start()) {
            Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", kafka.bootstrapServers());
            producerProps.put("acks", "all");
            try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("testkit.check", "k", "hello")).get();
            }
            Properties consumerProps = new Properties();
            consumerProps.put("bootstrap.servers", kafka.bootstrapServers());
            consumerProps.put("group.id", "testkit");
            consumerProps.put("auto.offset.reset", "earliest");
            try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("testkit.check"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                String received = null;
                while (received == null && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    for (var r : records) {
                        received = r.value();
                    }
                }
                assertThat(received).isEqualTo("hello");
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void s3ProxyStoresObjectsWithSigV4AndKeepsThemAcrossAnOutage() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            MinioClient client = s3.client();
            client.makeBucket(MakeBucketArgs.builder().bucket("check").build());
            byte[] body = "pixels".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("check").object("a/b.bin")
                    .stream(new ByteArrayInputStream(body), body.length, -1).build());

            s3.suspend();
            assertThatThrownBy(() -> client.bucketExists(BucketExistsArgs.builder().bucket("check").build()))
                    .isInstanceOf(Exception.class);
            s3.resume();

            try (var in = client.getObject(GetObjectArgs.builder().bucket("check").object("a/b.bin").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            MinioClient wrongSecret = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), "wrong").build();
            assertThatThrownBy(() -> wrongSecret.bucketExists(BucketExistsArgs.builder().bucket("check").build()))
                    .hasMessageContaining("signature");
        }
    }

    @Test
    void postgresKeepsRowsAcrossARestart() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start()) {
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                s.execute("create table t (v text)");
                s.execute("insert into t values ('kept')");
            }
            pg.suspend();
            assertThatThrownBy(() -> connect(pg).close()).isInstanceOf(Exception.class);
            pg.resume();
            try (Connection c = connect(pg); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        }
    }

    @Test
    void aChildProcessEndsWhenItsParentGoes() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of(), List.of(), Sleeper.class.getName(), List.of(),
                java.nio.file.Files.createTempDirectory("child").resolve("sleeper.log"));
        try {
            assertThat(child.isAlive()).isTrue();
            child.closeInput();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(child.isAlive()).isFalse();
        } finally {
            child.close();
        }
    }

    @Test
    void theModeIsChosenBySetting() {
        assertThat(Mode.choose("embedded")).isEqualTo(Mode.EMBEDDED);
        assertThat(Mode.choose(" Containers ")).isEqualTo(Mode.CONTAINERS);
        assertThatThrownBy(() -> Mode.choose("docker")).hasMessageContaining("auto, embedded or containers");
    }

    private static Connection connect(PostgresServer pg) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }

    /** A program that would run forever. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

}
