package io.lungflow.results.audit;

import io.lungflow.platform.health.KafkaClientSettings;
import io.lungflow.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The audit topic read from its start to its current end (one partition, kept forever): the copies the chain is compared with. */
@ApplicationScoped
public class AuditTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClientSettings kafka;

    AuditTopic(KafkaClientSettings kafka) {
        this.kafka = kafka;
    }

    /** Every record value on the topic, in order; an {@link IllegalStateException} when the broker cannot be read. */
    public List<String> values() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.reader("lungflow-results-audit-verify", TIMEOUT))) {
            return readAll(consumer);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("the audit topic could not be read: " + e.getMessage(), e);
        }
    }

    /** Reads partition 0 of the audit topic from its beginning to the end offset it had when asked. */
    static List<String> readAll(KafkaConsumer<String, String> consumer) {
        TopicPartition partition = new TopicPartition(Topics.AUDIT, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), TIMEOUT).getOrDefault(partition, 0L);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (consumer.position(partition, TIMEOUT) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the audit topic was not read to its end within 2 minutes");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.value() != null) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
