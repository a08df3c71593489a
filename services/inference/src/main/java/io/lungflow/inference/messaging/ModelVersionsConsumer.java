package io.lungflow.inference.messaging;

import io.lungflow.inference.registry.ModelRegistry;
import io.lungflow.platform.health.KafkaClientSettings;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Follows the compacted models.versions topic. Every start reads it from the beginning (a group of
 * its own), so the registry's state is rebuilt from the log; scans are only scored once the log
 * has been read to the end it had at start ({@link #caughtUp()}).
 */
@ApplicationScoped
public class ModelVersionsConsumer {

    private static final Logger LOG = Logger.getLogger(ModelVersionsConsumer.class);

    private final ModelRegistry registry;
    private final KafkaClientSettings kafka;
    private final Map<Integer, Long> consumed = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> endAtStart;

    ModelVersionsConsumer(ModelRegistry registry, KafkaClientSettings kafka) {
        this.registry = registry;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::readEndOffsets, "models-versions-end");
        t.setDaemon(true);
        t.start();
    }

    @Incoming(Channels.MODELS_VERSIONS)
    public CompletionStage<Void> onRecord(Message<ModelVersion> message) {
        IncomingKafkaRecordMetadata<?, ?> meta = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        ModelVersion version = message.getPayload();
        String key = meta.getKey() == null ? null : meta.getKey().toString();
        if (version != null) {
            registry.apply(version.model(), version.version(), version);
        } else if (key != null && key.contains(":")) {
            registry.apply(key.substring(0, key.indexOf(':')), key.substring(key.indexOf(':') + 1), null);
        }
        consumed.merge(meta.getPartition(), meta.getOffset(), Math::max);
        return message.ack();
    }

    /** Whether the log has been read to where it ended when this instance started. */
    public boolean caughtUp() {
        Map<Integer, Long> end = endAtStart;
        if (end == null) {
            return false;
        }
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || consumed.getOrDefault(e.getKey(), -1L) + 1 >= e.getValue());
    }

    private void readEndOffsets() {
        long backoff = 500;
        while (endAtStart == null) {
            try (Admin admin = Admin.create(kafka.admin("lungflow-inference-offsets", java.time.Duration.ofSeconds(10)))) {
                Map<Integer, Long> end = new HashMap<>();
                try {
                    var partitions = admin.describeTopics(List.of(Topics.MODELS_VERSIONS)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(Topics.MODELS_VERSIONS).partitions();
                    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                    partitions.forEach(p -> request.put(new TopicPartition(Topics.MODELS_VERSIONS, p.partition()), OffsetSpec.latest()));
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp.partition(), info.offset()));
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    // No versions were ever published: nothing to catch up with.
                }
                endAtStart = end;
                LOG.infof("models.versions holds %s record offsets to replay", end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                LOG.warnf("Cannot read the end of models.versions yet (%s); retrying", root);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    /** Waits until {@link #caughtUp()}, checking each second. */
    public void awaitCaughtUp() throws InterruptedException {
        boolean logged = false;
        while (!caughtUp()) {
            if (!logged) {
                LOG.info("Scans wait until models.versions has been replayed");
                logged = true;
            }
            Thread.sleep(Duration.ofMillis(200).toMillis());
        }
    }
}
