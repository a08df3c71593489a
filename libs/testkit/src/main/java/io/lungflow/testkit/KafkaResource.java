package io.lungflow.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real Kafka broker for a Quarkus test: sets {@code kafka.bootstrap.servers}. By default the
 * JVM's shared broker; with the init argument {@code isolated=true} a broker of the test's own,
 * which the test may stop without disturbing others.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private boolean isolated;
    private KafkaServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        isolated = Boolean.parseBoolean(initArgs.getOrDefault("isolated", "false"));
    }

    @Override
    public Map<String, String> start() {
        server = isolated ? KafkaServer.start() : Infrastructure.kafka();
        return Map.of("kafka.bootstrap.servers", server.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectInfrastructure.class, KafkaServer.class));
    }

    @Override
    public void stop() {
        if (isolated && server != null) {
            server.close();
        }
    }
}
