package io.lungflow.results.audit;

import io.lungflow.schemas.AuditChain;
import io.lungflow.schemas.AuditRecord;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends to the audit trail in the transaction that records the event, so an event is in
 * results exactly when it is audited. One writer at a time (a transaction-scoped advisory lock),
 * so the chain has one order even with several results instances; an event seen again (a replay,
 * a redelivery) is not audited twice. Details carry ids, model versions, thresholds and
 * pseudonyms, never patient data.
 */
@ApplicationScoped
public class AuditTrail {

    /** The advisory lock key of the audit writer ("lungflow audit"). */
    private static final long LOCK = 0x6c756e67_61756474L;

    private final EntityManager em;

    AuditTrail(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void ingested(ScanIngested e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scanId", e.scanId());
        d.put("channel", e.source().channel().name());
        put(d, "sourceSystem", e.source().system());
        put(d, "callingAeTitle", e.source().callingAeTitle());
        put(d, "modality", e.modality());
        d.put("inScope", e.scope().inScope());
        d.put("sha256", e.object().sha256());
        append(AuditRecord.Kind.SCAN_INGESTED, e.scanId(), d);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void predicted(ScanPredicted p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scanId", p.scanId());
        if (p.model() != null) {
            d.put("model", p.model().name());
            d.put("version", p.model().version());
        }
        d.put("role", p.role().name());
        d.put("outcome", p.outcome().name());
        put(d, "decision", p.decision());
        put(d, "threshold", p.threshold());
        if (p.rejection() != null) {
            d.put("rejection", p.rejection().code().name());
        }
        append(AuditRecord.Kind.PREDICTION, p.predictionId(), d);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void labelled(ScanLabelled l) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scanId", l.scanId());
        d.put("label", l.label());
        d.put("reviewer", l.reviewer());
        d.put("source", l.source().name());
        put(d, "supersedes", l.supersedes());
        append(AuditRecord.Kind.LABEL, l.labelId(), d);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void transitioned(ModelVersion v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", v.model());
        d.put("version", v.version());
        d.put("status", v.status().name());
        put(d, "previousStatus", v.previousStatus() == null ? null : v.previousStatus().name());
        put(d, "canaryShare", v.canaryShare());
        put(d, "threshold", v.threshold());
        put(d, "changedBy", v.changedBy());
        put(d, "reason", v.reason());
        append(AuditRecord.Kind.MODEL_TRANSITION, v.model() + ":" + v.version() + ":" + v.status().name() + ":" + v.changedAt(), d);
    }

    private void append(AuditRecord.Kind kind, String sourceId, Map<String, Object> details) {
        em.createNativeQuery("select cast(pg_advisory_xact_lock(:key) as text)").setParameter("key", LOCK).getSingleResult();
        Number seen = (Number) em.createNativeQuery("select count(*) from audit_record where kind = :kind and source_id = :id")
                .setParameter("kind", kind.name()).setParameter("id", sourceId).getSingleResult();
        if (seen.longValue() > 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> last = em.createNativeQuery("select seq, hash from audit_record order by seq desc limit 1").getResultList();
        long seq = last.isEmpty() ? 1 : ((Number) last.get(0)[0]).longValue() + 1;
        String previous = last.isEmpty() ? AuditChain.GENESIS : (String) last.get(0)[1];
        Instant at = AuditChain.truncate(Instant.now());
        String canonical = AuditChain.canonical(details);
        em.createNativeQuery("""
                insert into audit_record (seq, recorded_at, kind, source_id, details, previous_hash, hash)
                values (:seq, :at, :kind, :id, :details, :previous, :hash)
                """)
                .setParameter("seq", seq)
                .setParameter("at", Timestamp.from(at))
                .setParameter("kind", kind.name())
                .setParameter("id", sourceId)
                .setParameter("details", canonical)
                .setParameter("previous", previous)
                .setParameter("hash", AuditChain.hash(previous, seq, at, kind, sourceId, canonical))
                .executeUpdate();
    }

    /** Records after {@code seq}, in order, at most {@code limit}, as stored. */
    @Transactional
    public List<AuditChain.StoredRecord> after(long seq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select seq, recorded_at, kind, source_id, details, previous_hash, hash from audit_record
                where seq > :after order by seq limit :limit
                """).setParameter("after", seq).setParameter("limit", limit).getResultList();
        List<AuditChain.StoredRecord> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new AuditChain.StoredRecord(((Number) r[0]).longValue(), instant(r[1]), AuditRecord.Kind.valueOf((String) r[2]), (String) r[3],
                    (String) r[4], (String) r[5], (String) r[6]));
        }
        return out;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }

    private static void put(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
