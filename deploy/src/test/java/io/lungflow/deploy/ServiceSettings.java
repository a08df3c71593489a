package io.lungflow.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What one service's application.properties says it needs from a deployment. */
record ServiceSettings(String name, Properties properties) {

    private static final Pattern REQUIRED_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    static List<ServiceSettings> all(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve("services"))) {
            return dirs.filter(Files::isDirectory).sorted().map(dir -> load(dir.getFileName().toString(), dir)).toList();
        }
    }

    private static ServiceSettings load(String name, Path dir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the settings of " + name, e);
        }
        return new ServiceSettings(name, p);
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    /** Every topic a channel of this service is bound to, dead-letter topics included. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("mp.messaging.") && (k.endsWith(".topic") || k.endsWith(".dead-letter-queue.topic")))
                .forEach(k -> topics.add(properties.getProperty(k)));
        return topics;
    }

    Set<String> buckets() {
        String listed = properties.getProperty("lungflow.s3.buckets");
        return listed == null ? Set.of() : new TreeSet<>(Arrays.stream(listed.split(",")).map(String::trim).toList());
    }

    /** Environment variables the production profile reads with no default: a deployment must set them. */
    Set<String> requiredEnvironment() {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && !key.startsWith("%prod.")) {
                continue;
            }
            Matcher m = REQUIRED_ENV.matcher(properties.getProperty(key));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    String property(String key) {
        return properties.getProperty(key);
    }
}
