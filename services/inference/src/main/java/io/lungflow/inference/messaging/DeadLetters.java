package io.lungflow.inference.messaging;

import io.lungflow.schemas.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Puts a scan that cannot be processed at all (an event that does not parse, a scan the model
 * fails on every time) on {@code scans.ingested.dlq}, with the reason and its origin in headers,
 * so that it is kept for inspection and the rest of the stream goes on.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    public static final String REASON = "dead-letter-reason";

    private final MutinyEmitter<byte[]> emitter;

    DeadLetters(@Channel(Channels.SCANS_DEAD_LETTERS) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public void send(String key, byte[] value, String reason, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", Topics.SCANS_INGESTED.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build();
        emitter.sendMessage(Message.of(value == null ? new byte[0] : value).addMetadata(metadata)).await().atMost(Duration.ofSeconds(30));
        LOG.warnf("Scan record %s (partition %d, offset %d) sent to %s: %s", key, partition, offset, Topics.deadLetter(Topics.SCANS_INGESTED),
                reason);
    }
}
