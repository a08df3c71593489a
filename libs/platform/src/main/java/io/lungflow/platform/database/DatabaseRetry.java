package io.lungflow.platform.database;

import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Applies an event to the database, waiting out an unavailable database: a consumer does not
 * acknowledge a record until it is stored, so while PostgreSQL is away the records wait in Kafka
 * and nothing is lost. Errors that retrying cannot fix (a value the schema refuses) are thrown,
 * so the record goes to its dead-letter topic and the rest of the stream goes on.
 */
public final class DatabaseRetry {

    private static final Logger LOG = Logger.getLogger(DatabaseRetry.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private DatabaseRetry() {
    }

    public static void apply(String what, Runnable write) {
        long backoff = 100;
        boolean warned = false;
        while (true) {
            try {
                write.run();
                if (warned) {
                    LOG.infof("Database is back; stored %s", what);
                }
                return;
            } catch (RuntimeException e) {
                if (!transientFailure(e)) {
                    throw e;
                }
                if (!warned) {
                    LOG.warnf("Database unavailable (%s); %s waits in Kafka and is retried", rootMessage(e), what);
                    warned = true;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the database", ie);
                }
                backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
            }
        }
    }

    /**
     * Connection failures (SQLSTATE class 08), an administrator's shutdown (57P), too little
     * memory or disk (53), serialization failures and deadlocks (40), and the pool's own timeouts
     * (no SQLSTATE) can pass; anything else is about the data.
     */
    public static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    return true;
                }
                return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("40");
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        String text = rootMessage(e);
        return text.contains("Acquisition timeout") || text.contains("Unable to acquire JDBC Connection");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
