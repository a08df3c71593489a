package io.lungflow.testkit;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Credentials for tests, as a deployment makes them: an RSA key pair made once per test JVM (the
 * services verify tokens with its public half), bearer tokens signed with it, and one API key per
 * role for machine clients. {@link #everyRoleByDefault()} makes RestAssured's requests carry a
 * token holding every role, so functional tests read as before; tests of refusals send their own.
 */
public final class Credentials {

    public static final String ISSUER = "lungflow";
    public static final List<String> ROLES = List.of("pacs", "radiologist", "mlops", "viewer");

    /**
     * The key pair and the API keys live in system properties, so that every class loader of the
     * test JVM (Quarkus gives each application start its own) sees the same ones.
     */
    private static final String PROPERTY = "lungflow.testkit.credentials.";
    private static final KeyPair KEYS = shared();
    private static final Map<String, String> API_KEYS = new HashMap<>();

    static {
        for (String role : ROLES) {
            String key = System.getProperty(PROPERTY + "api-key." + role);
            if (key == null) {
                key = "test-api-key-" + role + "-" + HexFormat.of().formatHex(random(12));
                System.setProperty(PROPERTY + "api-key." + role, key);
            }
            API_KEYS.put(role, key);
        }
    }

    private static synchronized KeyPair shared() {
        try {
            String publicKey = System.getProperty(PROPERTY + "public");
            String privateKey = System.getProperty(PROPERTY + "private");
            if (publicKey == null || privateKey == null) {
                KeyPair pair = generate();
                System.setProperty(PROPERTY + "public", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                System.setProperty(PROPERTY + "private", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                return pair;
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new KeyPair(rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey))));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Credentials() {
    }

    /** A bearer token for {@code subject} holding {@code roles}, valid for an hour. */
    public static String token(String subject, String... roles) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(roles)).expiresIn(Duration.ofHours(1))
                .jws().sign(KEYS.getPrivate());
    }

    /** A token signed by the right key whose lifetime is over. */
    public static String expiredToken(String subject, String role) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(role)).issuedAt(now - 7200).expiresAt(now - 3600).jws().sign(KEYS.getPrivate());
    }

    /** A token signed by the right key, issued at {@code issuedAt} and expiring at {@code expiresAt} (epoch seconds). */
    public static String tokenLiving(String subject, String role, long issuedAt, long expiresAt) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(role)).issuedAt(issuedAt).expiresAt(expiresAt).jws().sign(KEYS.getPrivate());
    }

    /** A token of the right shape signed by another key. */
    public static String foreignToken(String subject, String role) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(role)).expiresIn(Duration.ofHours(1)).jws().sign(generate().getPrivate());
    }

    /** The API key of the machine client holding {@code role}. */
    public static String apiKey(String role) {
        return API_KEYS.get(role);
    }

    /** The services' setting for the API keys: {@code name:role:sha256hex} for each role. */
    public static String apiKeySetting() {
        StringBuilder out = new StringBuilder();
        for (String role : ROLES) {
            out.append(out.isEmpty() ? "" : ",").append("test-").append(role).append(':').append(role).append(':').append(sha256(API_KEYS.get(role)));
        }
        return out.toString();
    }

    /** The public key as the X.509 SubjectPublicKeyInfo in base64, which {@code mp.jwt.verify.publickey} takes. */
    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /** The public key as a PEM file, for services configured by {@code LUNGFLOW_JWT_PUBLIC_KEY_LOCATION}. */
    public static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("lungflow-jwt-", ".pem");
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a Quarkus test gives the service under test. */
    public static Map<String, String> quarkusConfig() {
        return Map.of("mp.jwt.verify.publickey", publicKey(), "lungflow.security.api-keys", apiKeySetting());
    }

    /** What a packaged service is given in its environment. */
    public static Map<String, String> environment() {
        return Map.of("LUNGFLOW_JWT_PUBLIC_KEY_LOCATION", publicKeyFile().toString(), "LUNGFLOW_SECURITY_API_KEYS", apiKeySetting());
    }

    /** RestAssured's requests carry a token with every role unless a test sends its own credentials. */
    public static synchronized void everyRoleByDefault() {
        // One such filter, whichever class loader put an earlier one there.
        List<Filter> others = RestAssured.filters().stream().filter(f -> !f.getClass().getName().equals(EveryRole.class.getName())).toList();
        RestAssured.replaceFiltersWith(others);
        RestAssured.filters(new EveryRole(token("test-user", ROLES.toArray(String[]::new))));
    }

    private record EveryRole(String token) implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization") && !request.getHeaders().hasHeaderWithName("X-API-Key")) {
                request.header("Authorization", "Bearer " + token);
            }
            return context.next(request, response);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
