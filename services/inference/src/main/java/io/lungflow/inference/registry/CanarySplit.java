package io.lungflow.inference.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which scans a canary answers for: a scan is in the canary's share when the first 53 bits of
 * SHA-256(scan id), read as a fraction, fall below the share. The same scan always lands on the
 * same side, on every instance, and shares are honoured whatever the ids look like.
 */
public final class CanarySplit {

    private CanarySplit() {
    }

    public static boolean inCanary(String scanId, double share) {
        if (share <= 0) {
            return false;
        }
        if (share >= 1) {
            return true;
        }
        return position(scanId) < share;
    }

    /** The scan's place in [0, 1). */
    static double position(String scanId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(scanId.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (hash[i] & 0xff);
            }
            return (bits >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
