package io.lungflow.localstack;

import io.lungflow.schemas.AuditChain;
import io.lungflow.schemas.AuditRecord;
import io.lungflow.schemas.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./lungflow audit verify}: reads the audit table straight from PostgreSQL (not through a
 * service, which could be the thing that lies), checks its hash chain, and compares each record
 * with its copy on the audit topic, read straight from Kafka: a chain recomputed after an edit,
 * or with its tail cut off, is intact on its own but no longer matches the topic. Exit status 0
 * when both hold, 1 when either breaks (the first broken record and why are printed), 2 when the
 * table or the topic cannot be read.
 *
 * <p>Usage: {@code AuditVerify JDBC_URL USER KAFKA_BOOTSTRAP} with the password in
 * {@code LUNGFLOW_DB_PASSWORD}; {@code -} as KAFKA_BOOTSTRAP checks the chain alone (and says so).
 */
public final class AuditVerify {

    private static final int PAGE = 5000;

    private AuditVerify() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: AuditVerify JDBC_URL USER KAFKA_BOOTSTRAP|-   (password in LUNGFLOW_DB_PASSWORD)");
            System.exit(2);
        }
        NavigableMap<Long, String> topic = null;
        if (!args[2].equals("-")) {
            try {
                topic = AuditChain.topicHashes(topicValues(args[2]));
            } catch (RuntimeException e) {
                System.err.println("lungflow: the audit topic could not be read from " + args[2] + ": " + e.getMessage());
                System.exit(2);
            }
        }
        String password = System.getenv().getOrDefault("LUNGFLOW_DB_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(args[0], args[1], password)) {
            c.setReadOnly(true);
            AuditChain.Verification chain = AuditChain.verifyPages(after -> page(c, after));
            System.out.println(chain.describe());
            AuditChain.Anchoring anchoring = topic == null ? null : AuditChain.compareWithTopic(after -> page(c, after), topic);
            System.out.println(anchoring == null ? "audit topic not compared (no broker given): a cut or recomputed chain would pass"
                    : anchoring.describe());
            System.exit(AuditChain.Report.of(chain, anchoring).intact() ? 0 : 1);
        } catch (SQLException | IllegalStateException e) {
            System.err.println("lungflow: the audit table could not be read from " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }

    /** Every value on the audit topic, from its first offset to the end it had when asked. */
    private static List<String> topicValues(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        TopicPartition audit = new TopicPartition(Topics.AUDIT, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(audit));
            long end = consumer.endOffsets(List.of(audit)).get(audit);
            consumer.seekToBeginning(List.of(audit));
            while (consumer.position(audit) < end) {
                consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                    if (r.value() != null) {
                        values.add(r.value());
                    }
                });
            }
        }
        return values;
    }

    private static List<AuditChain.StoredRecord> page(Connection c, long after) {
        try (PreparedStatement s = c.prepareStatement("select seq, recorded_at, kind, source_id, details, previous_hash, hash from audit_record "
                + "where seq > ? order by seq limit ?")) {
            s.setLong(1, after);
            s.setInt(2, PAGE);
            List<AuditChain.StoredRecord> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditChain.StoredRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), AuditRecord.Kind.valueOf(rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
