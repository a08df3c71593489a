package io.lungflow.platform.events;

import io.lungflow.schemas.Contract;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Builds the Kafka messages lungflow sends: the contract's JSON as the value, the entity's id as
 * the key, and the CloudEvents attributes (binary mode: {@code ce_id}, {@code ce_type},
 * {@code ce_source}, {@code ce_time}, {@code ce_subject}) as headers.
 */
public final class EventMessages {

    private EventMessages() {
    }

    /** {@code urn:lungflow:<service>}: the CloudEvents source of everything a service sends. */
    public static URI source(String service) {
        return URI.create("urn:lungflow:" + service);
    }

    public static <T> Message<T> message(URI source, String key, String id, String subject, T payload) {
        Contract contract = Contract.forType(payload.getClass());
        String type = contract.ceType()
                .orElseThrow(() -> new IllegalArgumentException(contract + " is not an event contract"));
        OutgoingCloudEventMetadata<T> cloudEvent = OutgoingCloudEventMetadata.<T>builder()
                .withId(id)
                .withType(type)
                .withSource(source)
                .withSubject(subject)
                .withTimestamp(Instant.now().atZone(java.time.ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
        return Message.of(payload).addMetadata(cloudEvent).addMetadata(record);
    }
}
