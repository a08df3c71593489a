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
import java.util.NavigableMap;
import java.util.TreeMap;
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

    /**
     * How the table compares with the audit topic, the chain's anchor outside the database: the
     * relay publishes every record there once written, so a record rewritten in the table (even
     * with every hash after it recomputed), removed from it, or cut from its tail no longer
     * matches the topic. Records written since the relay last ran are not on it yet, and counted.
     */
    public record Anchoring(boolean matches, long onTopic, long lastOnTopic, long notYetOnTopic, Long firstMismatch, String reason) {

        public String describe() {
            return matches ? "audit topic agrees: " + onTopic + " records match their copies on the topic" + (notYetOnTopic > 0
                    ? ", " + notYetOnTopic + " not yet relayed" : "")
                    : "audit table DISAGREES with the audit topic at record " + firstMismatch + ": " + reason;
        }
    }

    /** The hash of each seq in the audit topic's records (JSON {@link AuditRecord}s, in topic order; the first copy of a seq counts). */
    public static NavigableMap<Long, String> topicHashes(Iterable<String> recordValues) {
        NavigableMap<Long, String> hashes = new TreeMap<>();
        for (String value : recordValues) {
            try {
                AuditRecord r = EventJson.mapper().readValue(value, AuditRecord.class);
                hashes.putIfAbsent(r.seq(), r.hash());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a record on the audit topic is not an audit record: " + e.getMessage(), e);
            }
        }
        return hashes;
    }

    /** Compares the table, read page by page as for {@link #verifyPages}, with {@code topic} (see {@link #topicHashes}). */
    public static Anchoring compareWithTopic(LongFunction<List<StoredRecord>> pageAfter, NavigableMap<Long, String> topic) {
        long lastOnTopic = topic.isEmpty() ? 0 : topic.lastKey();
        long matched = 0;
        long beyond = 0;
        long previous = 0;
        long after = 0;
        while (true) {
            List<StoredRecord> page = pageAfter.apply(after);
            if (page.isEmpty()) {
                break;
            }
            for (StoredRecord r : page) {
                NavigableMap<Long, String> skipped = topic.subMap(previous, false, r.seq(), false);
                if (!skipped.isEmpty()) {
                    return new Anchoring(false, matched, lastOnTopic, beyond, skipped.firstKey(),
                            "it is on the audit topic but missing from the table (deleted)");
                }
                previous = r.seq();
                if (r.seq() > lastOnTopic) {
                    beyond++;
                    continue;
                }
                String relayed = topic.get(r.seq());
                if (relayed == null) {
                    return new Anchoring(false, matched, lastOnTopic, beyond, r.seq(), "it is in the table but was never on the audit topic (inserted later)");
                }
                if (!relayed.equals(r.hash())) {
                    return new Anchoring(false, matched, lastOnTopic, beyond, r.seq(),
                            "its hash differs from its copy on the audit topic (rewritten in the table)");
                }
                matched++;
            }
            after = page.get(page.size() - 1).seq();
        }
        if (lastOnTopic > previous) {
            return new Anchoring(false, matched, lastOnTopic, beyond, previous + 1, "the table ends at record " + previous
                    + " but the audit topic holds records up to " + lastOnTopic + " (its tail was cut)");
        }
        return new Anchoring(true, matched, lastOnTopic, beyond, null, null);
    }

    /**
     * The chain's own check and its comparison with the topic together: intact only when both
     * hold (a chain recomputed after an edit, or shortened, is intact on its own).
     */
    public record Report(boolean intact, long records, Long brokenAt, String reason, String lastHash, Anchoring topic) {

        public static Report of(Verification chain, Anchoring topic) {
            if (!chain.intact()) {
                return new Report(false, chain.records(), chain.brokenAt(), chain.reason(), chain.lastHash(), topic);
            }
            if (topic != null && !topic.matches()) {
                return new Report(false, chain.records(), topic.firstMismatch(), topic.reason(), chain.lastHash(), topic);
            }
            return new Report(true, chain.records(), null, null, chain.lastHash(), topic);
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
