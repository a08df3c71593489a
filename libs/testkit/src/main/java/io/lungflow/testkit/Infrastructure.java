package io.lungflow.testkit;

import java.util.function.Supplier;

/**
 * The infrastructure shared by every test in a JVM: started on first use, reused across
 * Quarkus application restarts (test profiles), stopped when the JVM exits. Tests that break
 * a component on purpose start their own instead (see {@link KafkaServer#start()}).
 */
public final class Infrastructure {

    private static final Shared<KafkaServer> KAFKA = new Shared<>(KafkaServer::start);
    private static final Shared<ObjectStore> OBJECT_STORE = new Shared<>(ObjectStore::start);
    private static final Shared<PostgresServer> POSTGRES = new Shared<>(PostgresServer::start);

    public static KafkaServer kafka() {
        return KAFKA.get();
    }

    public static ObjectStore objectStore() {
        return OBJECT_STORE.get();
    }

    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    private static final class Shared<T extends AutoCloseable> {

        private final Supplier<T> starter;
        private T instance;

        Shared(Supplier<T> starter) {
            this.starter = starter;
        }

        synchronized T get() {
            if (instance == null) {
                T started = starter.get();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (Exception e) {
                        // The JVM is going away; nothing is left to tell.
                    }
                }, "testkit-shutdown"));
                instance = started;
            }
            return instance;
        }
    }

    private Infrastructure() {
    }
}
