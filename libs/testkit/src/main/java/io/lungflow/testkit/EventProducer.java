package io.lungflow.testkit;

import io.lungflow.schemas.EventJson;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends events to a topic as another service would: the contract's JSON, keyed, acknowledged by the broker before returning. */
public final class EventProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public EventProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public void send(String topic, String key, Object event) {
        try {
            sendRaw(topic, key, EventJson.mapper().writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + event, e);
        }
    }

    /** Sends {@code value} as it is (a test's malformed record, a replayed one). */
    public void sendRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted sending to " + topic, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not send to " + topic, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
