package io.lungflow.platform.health;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Settings for the Kafka clients a service makes itself (readiness, offset lookups): the same
 * {@code kafka.*} configuration its channels use (bootstrap servers, and TLS or SASL through
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SSL_*}, {@code KAFKA_SASL_*}), with its own
 * client id and timeouts.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private final Map<String, Object> common;

    @Inject
    KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> common) {
        this.common = common;
    }

    /** Admin client settings: the common ones, then {@code clientId} and both timeouts. */
    public Map<String, Object> admin(String clientId, Duration timeout) {
        Map<String, Object> settings = new HashMap<>();
        common.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) || key.startsWith("ssl.") || key.startsWith("sasl.")) {
                settings.put(key, value);
            }
        });
        int millis = (int) timeout.toMillis();
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        return settings;
    }

    /** Consumer settings for reading a topic without a group (assigned partitions, no commits): the common ones, then {@code clientId}. */
    public Map<String, Object> reader(String clientId, Duration timeout) {
        Map<String, Object> settings = new HashMap<>();
        common.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) || key.startsWith("ssl.") || key.startsWith("sasl.")) {
                settings.put(key, value);
            }
        });
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return settings;
    }

    public String bootstrapServers() {
        return String.valueOf(common.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }
}
