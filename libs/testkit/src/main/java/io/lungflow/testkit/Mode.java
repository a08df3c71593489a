package io.lungflow.testkit;

import java.util.Locale;
import java.util.logging.Logger;
import org.testcontainers.DockerClientFactory;

/**
 * How the test kit runs infrastructure: in-process or child processes from Maven artifacts
 * ({@code EMBEDDED}), or containers ({@code CONTAINERS}). Chosen by the system property or
 * environment variable {@code lungflow.testkit.mode} / {@code LUNGFLOW_TESTKIT_MODE}:
 * {@code embedded}, {@code containers}, or {@code auto} (the default: containers where a Docker
 * engine answers, embedded otherwise).
 */
public enum Mode {
    EMBEDDED,
    CONTAINERS;

    private static final Logger LOG = Logger.getLogger(Mode.class.getName());
    private static volatile Mode selected;

    public static Mode selected() {
        Mode mode = selected;
        if (mode == null) {
            synchronized (Mode.class) {
                if (selected == null) {
                    selected = choose(Settings.get("lungflow.testkit.mode", "auto"));
                    LOG.info("lungflow test kit runs infrastructure " + selected.name().toLowerCase(Locale.ROOT));
                }
                mode = selected;
            }
        }
        return mode;
    }

    static Mode choose(String setting) {
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            case "auto" -> dockerAvailable() ? CONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    "lungflow.testkit.mode must be auto, embedded or containers, not '" + setting + "'");
        };
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
