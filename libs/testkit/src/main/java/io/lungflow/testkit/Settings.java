package io.lungflow.testkit;

import java.util.Locale;

/** Reads a test-kit setting from a system property, or else from the matching environment variable. */
final class Settings {

    static String get(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private Settings() {
    }
}
