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
 * a fixed port, one database per service that needs one, and for each such service a login role
 * of the database's name that owns nothing (its password in {@code LUNGFLOW_DB_<SERVICE>_PASSWORD},
 * e.g. {@code LUNGFLOW_DB_RESULTS_PASSWORD} for {@code lungflow_results}): the services migrate as
 * {@code postgres} and work with what their migrations grant their role. Runs until the process is
 * stopped.
 *
 * <p>Usage: {@code LocalPostgres <port> <data dir> <database>...}
 */
public final class LocalPostgres {

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
        for (String database : List.of(args).subList(2, args.length)) {
            String service = database.replaceFirst("^lungflow_", "").toUpperCase(java.util.Locale.ROOT);
            String password = System.getenv("LUNGFLOW_DB_" + service + "_PASSWORD");
            if (password != null && !password.isBlank()) {
                serviceRole(postgres, database, password);
            }
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

    /** Creates a service's role (named as its database, already checked to be a plain name), or gives it the current password. */
    private static void serviceRole(EmbeddedPostgres postgres, String role, String password) throws Exception {
        if (!password.matches("[0-9a-f]{16,}")) {
            throw new IllegalArgumentException("the password of " + role + " should be hex digits, as ./lungflow up makes it");
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
                exists = rs.next();
            }
            s.execute((exists ? "alter" : "create") + " role " + role + " login password '" + password + "'");
        }
    }

    private LocalPostgres() {
    }
}
