package io.lungflow.platform.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces an identity (a patient id, a reviewer's name) with a keyed hash, HMAC-SHA-256, so that
 * the same identity always maps to the same pseudonym while nobody without the key can reverse
 * it or confirm a guess. Written as {@code hmac-sha256:<64 hex digits>}.
 */
public final class Pseudonymizer {

    public static final String PREFIX = "hmac-sha256:";
    /** RFC 2104: a key shorter than the hash output weakens the HMAC. */
    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    public Pseudonymizer(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "The pseudonym key must be at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String pseudonym(String identity) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("Nothing to pseudonymise");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(identity.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
