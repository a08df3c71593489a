package io.lungflow.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

import io.lungflow.imaging.SyntheticImages;
import io.lungflow.testkit.ChildProcess;
import io.lungflow.testkit.Credentials;
import io.lungflow.testkit.EmbeddedPostgresServer;
import io.lungflow.testkit.PackagedService;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The transport security options, exercised: a Kafka broker that only speaks SASL_SSL (PLAIN),
 * an S3 server that only speaks HTTPS, and a PostgreSQL that speaks TLS, all with a self-signed
 * certificate this test makes with the JDK's keytool. Ingest and results, packaged, are configured
 * only through their documented environment variables; a scan uploaded to ingest travels over
 * SASL_SSL to results, which stores it in PostgreSQL over verified TLS, and its image comes back
 * from S3 over HTTPS. A client that does not trust the certificate is refused.
 */
class TransportSecurityIT {

    private static final Path ROOT = Path.of(System.getProperty("lungflow.root", "../..")).toAbsolutePath().normalize();
    private static final String STORE_PASSWORD = "test-only-store-password";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"%s\" password=\"%s\"%s;";

    @Test
    void servicesUseKafkaS3AndPostgresOverTls() throws Exception {
        Path dir = Files.createTempDirectory("lungflow-tls");
        Path ca = certificates(dir);
        List<AutoCloseable> processes = new ArrayList<>();
        EmbeddedPostgresServer postgres = null;
        try {
            int kafkaPort = ChildProcess.freePort();
            processes.add(kafka(dir, kafkaPort));
            int s3Port = ChildProcess.freePort();
            processes.add(s3(dir, s3Port));
            int pgPort = ChildProcess.freePort();
            postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), pgPort, Map.of("ssl", "on",
                    "ssl_cert_file", dir.resolve("server.crt").toString(), "ssl_key_file", dir.resolve("server.key").toString()));
            String jdbc = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?sslmode=verify-full&sslrootcert=" + ca;

            // Verification is real: with another certificate as the root, PostgreSQL's TLS is refused.
            Path other = certificates(Files.createDirectories(dir.resolve("other")));
            String untrusted = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?sslmode=verify-full&sslrootcert=" + other;
            assertThatThrownBy(() -> DriverManager.getConnection(untrusted, "postgres", "postgres").close()).hasMessageContaining("SSL");

            Map<String, String> env = new HashMap<>(Credentials.environment());
            env.putAll(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort,
                    "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "KAFKA_SASL_MECHANISM", "PLAIN",
                    "KAFKA_SASL_JAAS_CONFIG", String.format(JAAS, "lungflow", "lungflow-secret", ""),
                    "KAFKA_SSL_TRUSTSTORE_LOCATION", dir.resolve("trust.p12").toString(),
                    "KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD,
                    "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
                    "LUNGFLOW_S3_ENDPOINT", "https://127.0.0.1:" + s3Port,
                    "LUNGFLOW_S3_TRUST_CERTIFICATES", ca.toString()));
            env.putAll(Map.of(
                    "LUNGFLOW_S3_ACCESS_KEY", "tls-test",
                    "LUNGFLOW_S3_SECRET_KEY", "tls-test-secret",
                    "LUNGFLOW_PSEUDONYM_KEY", LungflowServices.PSEUDONYM_KEY,
                    "LUNGFLOW_DICOM_ENABLED", "false",
                    "LUNGFLOW_DB_URL", jdbc,
                    "LUNGFLOW_DB_USERNAME", "postgres",
                    "LUNGFLOW_DB_PASSWORD", "postgres"));
            int ingest = ChildProcess.freePort();
            int results = ChildProcess.freePort();
            processes.add(service("ingest", ingest, env, dir));
            processes.add(service("results", results, env, dir));

            // Readiness asks the broker and the object store with the same settings: both answer over TLS.
            for (int port : List.of(ingest, results)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri("http://127.0.0.1:" + port).get("/q/health/ready")
                        .then().statusCode(200));
            }

            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(SyntheticImages.image(0, 64, new Random(11), false), "png", png);
            String scanId = given().baseUri("http://127.0.0.1:" + ingest).header("X-API-Key", Credentials.apiKey("pacs")).contentType("image/png")
                    .body(png.toByteArray()).post("/api/v1/scans").then().statusCode(202).extract().path("scanId");
            String viewer = "Bearer " + Credentials.token("tls-test", "viewer");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri("http://127.0.0.1:" + results).header("Authorization", viewer)
                    .get("/api/v1/scans/" + scanId).then().statusCode(200).body("receivedAt", notNullValue()));
            byte[] image = given().baseUri("http://127.0.0.1:" + results).header("Authorization", viewer).get("/api/v1/scans/" + scanId + "/image").then().statusCode(200)
                    .extract().asByteArray();
            assertThat(image).isNotEmpty();
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** A self-signed certificate for localhost and 127.0.0.1: server.p12, trust.p12, ca.pem, and server.crt/server.key for PostgreSQL. */
    private static Path certificates(Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
                STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Path ca = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-file", ca.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", ca.toString(), "-keystore", dir.resolve("trust.p12").toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        Files.copy(ca, dir.resolve("server.crt"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        Key key = store.getKey("server", STORE_PASSWORD.toCharArray());
        Path pem = dir.resolve("server.key");
        Files.createFile(pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return ca;
    }

    /** A broker whose only client listener is SASL_SSL (PLAIN), with the test's certificate. */
    private static KafkaProcess kafka(Path dir, int port) throws Exception {
        return new KafkaProcess(dir.resolve("kafka"), port, "SASL_SSL", Map.ofEntries(
                Map.entry("sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("listener.name.sasl_ssl.plain.sasl.jaas.config", String.format(JAAS, "broker", "broker-secret",
                        " user_broker=\"broker-secret\" user_lungflow=\"lungflow-secret\"")),
                Map.entry("ssl.keystore.location", dir.resolve("server.p12").toString()),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.password", STORE_PASSWORD),
                Map.entry("ssl.key.password", STORE_PASSWORD),
                Map.entry("ssl.truststore.location", dir.resolve("trust.p12").toString()),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.password", STORE_PASSWORD)));
    }

    private static ChildProcess s3(Path dir, int port) throws Exception {
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.secure-endpoint=https://127.0.0.1:" + port,
                "s3proxy.keystore-path=" + dir.resolve("server.p12"),
                "s3proxy.keystore-password=" + STORE_PASSWORD,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=tls-test",
                "s3proxy.credential=tls-test-secret",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + Files.createDirectories(dir.resolve("s3")), ""));
        ChildProcess s3 = ChildProcess.start("s3proxy", List.of(ROOT.resolve("libs/localstack/target/s3proxy.jar")), List.of(),
                "org.gaul.s3proxy.Main", List.of("--properties", properties.toString()), dir.resolve("s3proxy.log"));
        s3.awaitPort(port, Duration.ofSeconds(60));
        return s3;
    }

    private static ChildProcess service(String name, int port, Map<String, String> env, Path dir) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        own.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return PackagedService.start(name, PackagedService.app(ROOT.resolve("services").resolve(name)), own, dir.resolve(name + ".log"), port,
                List.of("-Xmx384m", "-XX:+UseSerialGC"));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
