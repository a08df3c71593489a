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
