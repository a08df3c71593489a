package io.lungflow.localstack;

import io.lungflow.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates lungflow's topics and their dead-letter topics on a broker, leaving existing ones as they
 * are: compacted topics keep the latest record per key, the labels and the audit trail are kept
 * forever, the others a week.
 *
 * <p>Usage: {@code CreateTopics <bootstrap servers> [partitions]}
 */
public final class CreateTopics {

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:19092";
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = new ArrayList<>();
            for (String topic : Topics.ALL) {
                boolean compacted = Topics.COMPACTED.contains(topic);
                String retention = Topics.KEPT_FOREVER.contains(topic) ? "-1" : Long.toString(TimeUnit.DAYS.toMillis(7));
                wanted.add(new NewTopic(topic, Topics.SINGLE_PARTITION.contains(topic) ? 1 : partitions, (short) 1).configs(compacted
                        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                        : Map.of(TopicConfig.RETENTION_MS_CONFIG, retention)));
                wanted.add(new NewTopic(Topics.deadLetter(topic), 1, (short) 1));
            }
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            System.out.println("Topics ready: " + wanted.size() + " (" + missing.size() + " created)");
        }
    }

    private CreateTopics() {
    }
}
