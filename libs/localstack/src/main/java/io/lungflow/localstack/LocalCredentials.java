package io.lungflow.localstack;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The local stack's credentials, made once by {@code ./lungflow up} in {@code $LUNGFLOW_HOME/security}:
 * an RSA key pair whose private half signs bearer tokens ({@code ./lungflow token ROLE}) and whose
 * public half the services trust, and an API key for a PACS client. Not for production, where an
 * identity provider issues the tokens and only its public key is given to the services.
 *
 * <p>Usage: {@code LocalCredentials init DIR} and {@code LocalCredentials token DIR ROLE [SUBJECT] [HOURS]}.
 */
public final class LocalCredentials {

    static final String ISSUER = "lungflow";
    static final List<String> ROLES = List.of("pacs", "radiologist", "mlops", "viewer");

    private final Path dir;

    LocalCredentials(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("init")) {
            new LocalCredentials(Path.of(args[1])).init();
        } else if (args.length >= 3 && args[0].equals("token")) {
            String role = args[2];
            if (!ROLES.contains(role)) {
                System.err.println("lungflow: no role '" + role + "'; the roles are " + String.join(", ", ROLES));
                System.exit(2);
            }
            String subject = args.length > 3 ? args[3] : "local-" + role;
            long hours = args.length > 4 ? Long.parseLong(args[4]) : 8;
            if (hours < 1 || hours > 24) {
                System.err.println("lungflow: a token lives 1 to 24 hours (the services refuse a longer one); got " + hours);
                System.exit(2);
            }
            System.out.println(new LocalCredentials(Path.of(args[1])).token(subject, Duration.ofHours(hours), role));
        } else {
            System.err.println("usage: LocalCredentials init DIR | token DIR ROLE [SUBJECT] [HOURS]");
            System.exit(2);
        }
    }

    /** Makes the key pair and the PACS API key unless they exist. */
    void init() throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        if (!Files.exists(privateKeyFile())) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            writeSecret(privateKeyFile(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(dir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        if (!Files.exists(dir.resolve("pacs.api-key"))) {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            String apiKey = "lf-pacs-" + HexFormat.of().formatHex(key);
            writeSecret(dir.resolve("pacs.api-key"), apiKey + "\n");
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
            Files.writeString(dir.resolve("api-keys.setting"), "local-pacs:pacs:" + digest + "\n");
        }
    }

    /** A bearer token for {@code subject} holding {@code roles}, signed with the local key. */
    String token(String subject, Duration lifetime, String... roles) throws IOException, GeneralSecurityException {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(roles)).expiresIn(lifetime).jws().sign(privateKey());
    }

    /** The PACS client's API key. */
    String pacsApiKey() throws IOException {
        return Files.readString(dir.resolve("pacs.api-key")).strip();
    }

    private PrivateKey privateKey() throws IOException, GeneralSecurityException {
        String pem = Files.readString(privateKeyFile()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private Path privateKeyFile() {
        return dir.resolve("jwt-private.pem");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writeSecret(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
