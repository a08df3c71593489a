package io.lungflow.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL for the local stack: the embedded binaries, a data directory that survives restarts,
 * a fixed port, one database per service that needs one, and the login role the services connect
 * as ({@value #SERVICE_ROLE}, password from {@code LUNGFLOW_DB_SERVICE_PASSWORD}), which owns
 * nothing: the services migrate as {@code postgres} and work with what the migrations grant.
 * Runs until the process is stopped.
 *
 * <p>Usage: {@code LocalPostgres <port> <data dir> <database>...}
 */
public final class LocalPostgres {

    static final String SERVICE_ROLE = "lungflow_service";

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalPostgres <port> <data dir> [database...]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Files.createDirectories(Path.of(args[1]));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "postgres-stop"));
        createDatabases(postgres, List.of(args).subList(2, args.length));
        String servicePassword = System.getenv("LUNGFLOW_DB_SERVICE_PASSWORD");
        if (servicePassword != null && !servicePassword.isBlank()) {
            serviceRole(postgres, servicePassword);
        }
        System.out.println("PostgreSQL listening on 127.0.0.1:" + port + ", data in " + dataDir);
        stopped.await();
    }

    private static void createDatabases(EmbeddedPostgres postgres, List<String> names) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String name : names) {
                if (!name.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("Not a plain database name: " + name);
                }
                try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                    if (rs.next()) {
                        continue;
                    }
                }
                s.execute("create database " + name);
                System.out.println("Created database " + name);
            }
        }
    }

    /** Creates the services' role, or gives it the current password. */
    private static void serviceRole(EmbeddedPostgres postgres, String password) throws Exception {
        if (!password.matches("[0-9a-f]{16,}")) {
            throw new IllegalArgumentException("LUNGFLOW_DB_SERVICE_PASSWORD should be hex digits, as ./lungflow up makes it");
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + SERVICE_ROLE + "'")) {
                exists = rs.next();
            }
            s.execute((exists ? "alter" : "create") + " role " + SERVICE_ROLE + " login password '" + password + "'");
        }
    }

    private LocalPostgres() {
    }
}
