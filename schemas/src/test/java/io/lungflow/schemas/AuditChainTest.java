package io.lungflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.lungflow.schemas.AuditChain.StoredRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    @Test
    void theHashIsTheOneTheSchemaDescribes() {
        // Computed with coreutils: printf '<64 zeros>\n1\n2026-11-22T10:00:00.250Z\nLABEL\nlabel-1\n{"label":"covid","reviewer":"hmac-sha256:ab"}' | sha256sum
        String canonical = AuditChain.canonical(Map.of("reviewer", "hmac-sha256:ab", "label", "covid"));
        assertThat(canonical).isEqualTo("{\"label\":\"covid\",\"reviewer\":\"hmac-sha256:ab\"}");
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, Instant.parse("2026-11-22T10:00:00.250123Z"), AuditRecord.Kind.LABEL, "label-1", canonical))
                .isEqualTo("93af2459d82520bc1e63bcb72047bb212a9fdd548fc4aee22a354943f28eb84b");
    }

    @Test
    void anIntactChainVerifies() {
        AuditChain.Verification v = AuditChain.verify(chain(5));
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(5);
        assertThat(v.lastHash()).isEqualTo(chain(5).get(4).hash());
        assertThat(AuditChain.verify(List.of()).intact()).isTrue();
        List<StoredRecord> all = chain(5);
        AuditChain.Verification paged = AuditChain.verifyPages(after -> all.stream().filter(r -> r.seq() > after).limit(2).toList());
        assertThat(paged).isEqualTo(v);
    }

    @Test
    void aChangedRecordIsFound() {
        List<StoredRecord> records = chain(5);
        StoredRecord r = records.get(3);
        records.set(3, new StoredRecord(r.seq(), r.recordedAt(), r.kind(), r.sourceId(), r.canonicalDetails().replace("covid", "non-covid"),
                r.previousHash(), r.hash()));
        AuditChain.Verification v = AuditChain.verify(records);
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(4);
        assertThat(v.describe()).contains("BROKEN at record 4").contains("changed after it was written");
    }

    @Test
    void aRewrittenRecordWithARecomputedHashBreaksTheNextLink() {
        List<StoredRecord> records = chain(5);
        StoredRecord r = records.get(1);
        String details = r.canonicalDetails().replace("covid", "non-covid");
        records.set(1, new StoredRecord(r.seq(), r.recordedAt(), r.kind(), r.sourceId(), details, r.previousHash(),
                AuditChain.hash(r.previousHash(), r.seq(), r.recordedAt(), r.kind(), r.sourceId(), details)));
        AuditChain.Verification v = AuditChain.verify(records);
        assertThat(v.brokenAt()).isEqualTo(3);
        assertThat(v.reason()).contains("previous hash");
    }

    @Test
    void aRemovedOrReorderedRecordIsFound() {
        List<StoredRecord> removed = chain(5);
        removed.remove(3);
        assertThat(AuditChain.verify(removed).brokenAt()).isEqualTo(5);
        List<StoredRecord> swapped = chain(5);
        swapped.add(0, swapped.remove(1));
        assertThat(AuditChain.verify(swapped).brokenAt()).isEqualTo(2);
    }

    @Test
    void theTopicAgreesWithAnUntouchedTableAndCountsWhatIsNotRelayedYet() {
        List<StoredRecord> table = chain(6);
        AuditChain.Anchoring a = AuditChain.compareWithTopic(pages(table), topicOf(chain(4)));

        assertThat(a.matches()).isTrue();
        assertThat(a.onTopic()).isEqualTo(4);
        assertThat(a.notYetOnTopic()).isEqualTo(2);
        assertThat(a.describe()).isEqualTo("audit topic agrees: 4 records match their copies on the topic, 2 not yet relayed");
    }

    @Test
    void aCutTailPassesTheChainButNotTheTopic() {
        List<StoredRecord> cut = chain(5).subList(0, 3);

        assertThat(AuditChain.verify(cut).intact()).as("a shortened chain is still a chain").isTrue();
        AuditChain.Anchoring a = AuditChain.compareWithTopic(pages(cut), topicOf(chain(5)));
        assertThat(a.matches()).isFalse();
        assertThat(a.firstMismatch()).isEqualTo(4);
        assertThat(a.reason()).isEqualTo("the table ends at record 3 but the audit topic holds records up to 5 (its tail was cut)");
        AuditChain.Report report = AuditChain.Report.of(AuditChain.verify(cut), a);
        assertThat(report.intact()).isFalse();
        assertThat(report.brokenAt()).isEqualTo(4);
    }

    @Test
    void anEditWithEveryLaterHashRecomputedPassesTheChainButNotTheTopic() {
        List<StoredRecord> original = chain(5);
        List<StoredRecord> rewritten = new ArrayList<>(original.subList(0, 1));
        String previous = original.get(0).hash();
        for (StoredRecord r : original.subList(1, 5)) {
            String details = r.seq() == 2 ? r.canonicalDetails().replace("covid", "non-covid") : r.canonicalDetails();
            String hash = AuditChain.hash(previous, r.seq(), r.recordedAt(), r.kind(), r.sourceId(), details);
            rewritten.add(new StoredRecord(r.seq(), r.recordedAt(), r.kind(), r.sourceId(), details, previous, hash));
            previous = hash;
        }

        assertThat(AuditChain.verify(rewritten).intact()).isTrue();
        AuditChain.Anchoring a = AuditChain.compareWithTopic(pages(rewritten), topicOf(original));
        assertThat(a.firstMismatch()).isEqualTo(2);
        assertThat(a.reason()).contains("rewritten in the table");
    }

    @Test
    void aRecordDeletedFromTheMiddleIsNamed() {
        List<StoredRecord> table = chain(5);
        table.remove(2);
        AuditChain.Anchoring a = AuditChain.compareWithTopic(pages(table), topicOf(chain(5)));
        assertThat(a.firstMismatch()).isEqualTo(3);
        assertThat(a.reason()).contains("missing from the table");
    }

    @Test
    void topicHashesKeepTheFirstCopyOfEachRecord() throws Exception {
        List<StoredRecord> records = chain(2);
        List<String> values = new ArrayList<>();
        for (StoredRecord r : List.of(records.get(0), records.get(1), records.get(0))) {
            values.add(EventJson.mapper().writeValueAsString(new AuditRecord(r.seq(), r.recordedAt(), r.kind(), r.sourceId(),
                    Map.of("label", "x"), r.previousHash(), r.seq() == 1 && values.size() == 2 ? "f".repeat(64) : r.hash())));
        }
        assertThat(AuditChain.topicHashes(values)).containsExactly(Map.entry(1L, records.get(0).hash()), Map.entry(2L, records.get(1).hash()));
    }

    private static java.util.function.LongFunction<List<StoredRecord>> pages(List<StoredRecord> table) {
        return after -> table.stream().filter(r -> r.seq() > after).limit(2).toList();
    }

    private static java.util.NavigableMap<Long, String> topicOf(List<StoredRecord> records) {
        java.util.NavigableMap<Long, String> topic = new java.util.TreeMap<>();
        records.forEach(r -> topic.put(r.seq(), r.hash()));
        return topic;
    }

    private static List<StoredRecord> chain(int n) {
        List<StoredRecord> out = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            Instant at = Instant.parse("2026-11-22T10:00:00Z").plusMillis(1001L * i);
            String details = AuditChain.canonical(Map.of("label", i % 2 == 0 ? "covid" : "normal", "scanId", "scan-" + i));
            String hash = AuditChain.hash(previous, i, at, AuditRecord.Kind.LABEL, "label-" + i, details);
            out.add(new StoredRecord(i, at, AuditRecord.Kind.LABEL, "label-" + i, details, previous, hash));
            previous = hash;
        }
        return out;
    }
}
