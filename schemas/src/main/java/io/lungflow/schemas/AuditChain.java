package io.lungflow.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The audit trail's hash chain. Each record's hash is the SHA-256 (hex) of
 * {@code previousHash \n seq \n recordedAt \n kind \n sourceId \n details}, where recordedAt is
 * ISO-8601 UTC at millisecond precision and details is canonical JSON (keys sorted, no spaces);
 * the first record's previous hash is 64 zeros. Changing, removing, inserting or reordering any
 * record breaks the chain from there on, which {@link #verify} finds.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private AuditChain() {
    }

    /** The canonical JSON of a record's details. */
    public static String canonical(Map<String, Object> details) {
        try {
            return CANONICAL.writeValueAsString(new java.util.TreeMap<>(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be plain values", e);
        }
    }

    /** Record times are kept to the millisecond, so that the hash survives a round trip through any store. */
    public static Instant truncate(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    public static String hash(String previousHash, long seq, Instant recordedAt, AuditRecord.Kind kind, String sourceId, String canonicalDetails) {
        String input = previousHash + "\n" + seq + "\n" + truncate(recordedAt) + "\n" + kind.name() + "\n" + sourceId + "\n" + canonicalDetails;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result of checking a chain: intact, or where and why it breaks. */
    public record Verification(boolean intact, long records, Long brokenAt, String reason, String lastHash) {

        public String describe() {
            return intact ? "audit chain intact: " + records + " records, last hash " + lastHash
                    : "audit chain BROKEN at record " + brokenAt + ": " + reason + " (" + records + " records checked before it)";
        }
    }

    /** Checks records given in sequence order, each with its details in canonical JSON as stored. */
    public static Verification verify(Iterable<StoredRecord> records) {
        Checker checker = new Checker();
        for (StoredRecord r : records) {
            if (!checker.accept(r)) {
                break;
            }
        }
        return checker.result();
    }

    /** Checks a chain read page by page: {@code pageAfter(seq)} gives the records after seq, in order; an empty page ends it. */
    public static Verification verifyPages(LongFunction<List<StoredRecord>> pageAfter) {
        Checker checker = new Checker();
        long after = 0;
        while (true) {
            List<StoredRecord> page = pageAfter.apply(after);
            if (page.isEmpty()) {
                return checker.result();
            }
            for (StoredRecord r : page) {
                if (!checker.accept(r)) {
                    return checker.result();
                }
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    private static final class Checker {
        private String previous = GENESIS;
        private long expected = 1;
        private long checked;
        private Verification broken;

        boolean accept(StoredRecord r) {
            if (r.seq() != expected) {
                return fail(r, "expected record " + expected + " next (a record is missing or out of order)");
            }
            if (!r.previousHash().equals(previous)) {
                return fail(r, "its previous hash is not the hash of record " + (expected - 1));
            }
            String recomputed = hash(previous, r.seq(), r.recordedAt(), r.kind(), r.sourceId(), r.canonicalDetails());
            if (!recomputed.equals(r.hash())) {
                return fail(r, "its content does not match its hash (it was changed after it was written)");
            }
            previous = r.hash();
            expected++;
            checked++;
            return true;
        }

        private boolean fail(StoredRecord r, String reason) {
            broken = new Verification(false, checked, r.seq(), reason, previous);
            return false;
        }

        Verification result() {
            return broken != null ? broken : new Verification(true, checked, null, null, previous);
        }
    }

    /** A record as a store keeps it: the details as the canonical JSON text that was hashed. */
    public record StoredRecord(long seq, Instant recordedAt, AuditRecord.Kind kind, String sourceId, String canonicalDetails, String previousHash,
            String hash) {
    }
}
