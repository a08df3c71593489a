package io.lungflow.testkit;

/**
 * A running PostgreSQL server. {@link #suspend()} stops it and {@link #resume()} starts it again
 * on the same port with the same data, so tests can prove nothing is lost while it is away.
 */
public interface PostgresServer extends AutoCloseable {

    String jdbcUrl();

    String username();

    String password();

    void suspend();

    void resume();

    @Override
    void close();

    static PostgresServer start() {
        return Mode.selected() == Mode.CONTAINERS ? ContainerPostgres.start() : EmbeddedPostgresServer.start();
    }
}
