package io.lungflow.ingest;

import java.util.HexFormat;
import java.util.UUID;

/**
 * Scan ids come from the content: the first 128 bits of the image's SHA-256, written as an
 * RFC 9562 version 8 (custom) UUID. The same bytes always give the same scan id, wherever and
 * however often they arrive.
 */
public final class ScanIds {

    private ScanIds() {
    }

    public static String fromSha256(String sha256Hex) {
        byte[] hash = HexFormat.of().parseHex(sha256Hex);
        if (hash.length != 32) {
            throw new IllegalArgumentException("Not a SHA-256: " + sha256Hex);
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        msb = (msb & ~0xf000L) | 0x8000L; // version 8
        lsb = (lsb & 0x3fffffffffffffffL) | 0x8000000000000000L; // variant 10xx
        return new UUID(msb, lsb).toString();
    }
}
