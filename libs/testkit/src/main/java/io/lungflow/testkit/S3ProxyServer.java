package io.lungflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * s3proxy ({@code org.gaul:s3proxy:jar-with-dependencies}) in a child JVM: the filesystem backend
 * under a directory of its own, SigV4 authentication, a free loopback port.
 */
public final class S3ProxyServer implements ObjectStore {

    private static final Logger LOG = Logger.getLogger(S3ProxyServer.class.getName());
    static final String DEFAULT_VERSION = "4.1.0";

    private final Path dataDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private ChildProcess process;

    private S3ProxyServer(Path dataDir, int port, String accessKey, String secretKey) {
        this.dataDir = dataDir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts on a free port with fresh data and random credentials. */
    static S3ProxyServer start() {
        try {
            Path dir = Files.createTempDirectory("lungflow-s3-");
            dir.toFile().deleteOnExit();
            String secret = UUID.randomUUID().toString().replace("-", "");
            return start(dir, ChildProcess.freePort(), "lungflow-test", secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on {@code port}, keeping objects under {@code dataDir}; the local stack calls this too. */
    public static S3ProxyServer start(Path dataDir, int port, String accessKey, String secretKey) {
        S3ProxyServer server = new S3ProxyServer(dataDir, port, accessKey, secretKey);
        server.launch();
        return server;
    }

    /** Where the s3proxy jar is: {@code lungflow.testkit.s3proxy.jar}, or the local Maven repository. */
    public static Path jar() {
        String explicit = Settings.get("lungflow.testkit.s3proxy.jar", null);
        if (explicit != null) {
            return Path.of(explicit);
        }
        String version = Settings.get("lungflow.testkit.s3proxy.version", DEFAULT_VERSION);
        String repo = Settings.get("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path jar = Path.of(repo, "org", "gaul", "s3proxy", version, "s3proxy-" + version + "-jar-with-dependencies.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy is not in the local Maven repository (" + jar
                    + "). Build libs/testkit first (mvn -pl libs/testkit generate-resources), which resolves it.");
        }
        return jar;
    }

    private synchronized void launch() {
        try {
            Path blobs = Files.createDirectories(dataDir.resolve("blobs"));
            Properties props = new Properties();
            props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            props.setProperty("s3proxy.identity", accessKey);
            props.setProperty("s3proxy.credential", secretKey);
            props.setProperty("jclouds.provider", "filesystem");
            props.setProperty("jclouds.filesystem.basedir", blobs.toString());
            Path config = dataDir.resolve("s3proxy.properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "written by the lungflow test kit");
            }
            long started = System.nanoTime();
            process = ChildProcess.start("s3proxy", List.of(jar()), List.of("-Xmx256m", "-XX:+UseSerialGC"),
                    "org.gaul.s3proxy.Main", List.of("--properties", config.toString()), dataDir.resolve("s3proxy.log"));
            process.awaitPort(port, Duration.ofSeconds(60));
            LOG.info(() -> "s3proxy up at " + endpoint() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String accessKey() {
        return accessKey;
    }

    @Override
    public String secretKey() {
        return secretKey;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public synchronized void suspend() {
        process.close();
    }

    @Override
    public synchronized void resume() {
        if (!process.isAlive()) {
            launch();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
