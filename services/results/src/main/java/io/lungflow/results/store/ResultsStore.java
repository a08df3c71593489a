package io.lungflow.results.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.results.audit.AuditTrail;
import io.lungflow.schemas.ModelVersion;
import io.lungflow.schemas.Role;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.schemas.ScanPredicted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes events into PostgreSQL so that applying one twice, or out of order, leaves the same
 * rows: each insert is keyed by the event's natural id and ignores a duplicate; each summary
 * (a scan's active answer, its current label, a version's state) only moves forward in time.
 */
@ApplicationScoped
public class ResultsStore {

    private final EntityManager em;
    private final ObjectMapper json;
    private final AuditTrail audit;

    ResultsStore(EntityManager em, ObjectMapper json, AuditTrail audit) {
        this.em = em;
        this.json = json;
        this.audit = audit;
    }

    @Transactional
    public void recordIngested(ScanIngested e) {
        ScanIngested.StoredObject o = e.object();
        ScanIngested.DicomUids d = e.dicom();
        Query q = em.createNativeQuery("""
                insert into scan (scan_id, received_at, bucket, object_key, media_type, size_bytes, sha256, channel, source_system,
                    calling_ae_title, modality, body_part, view_position, study_reference, study_instance_uid, series_instance_uid,
                    sop_instance_uid, in_scope, scope_reason, width, height)
                values (:id, :received, :bucket, :key, :media, :size, :sha, :channel, :system, :ae, :modality, :body, :view, :study,
                    :studyUid, :seriesUid, :sopUid, :inScope, :scopeReason, :width, :height)
                on conflict (scan_id) do update set received_at = excluded.received_at, bucket = excluded.bucket,
                    object_key = excluded.object_key, media_type = excluded.media_type, size_bytes = excluded.size_bytes,
                    sha256 = excluded.sha256, channel = excluded.channel, source_system = excluded.source_system,
                    calling_ae_title = excluded.calling_ae_title, modality = excluded.modality, body_part = excluded.body_part,
                    view_position = excluded.view_position, study_reference = excluded.study_reference,
                    study_instance_uid = excluded.study_instance_uid, series_instance_uid = excluded.series_instance_uid,
                    sop_instance_uid = excluded.sop_instance_uid, in_scope = excluded.in_scope, scope_reason = excluded.scope_reason,
                    width = excluded.width, height = excluded.height
                where scan.received_at is null
                """)
                .setParameter("id", e.scanId())
                .setParameter("received", e.receivedAt())
                .setParameter("bucket", o.bucket())
                .setParameter("key", o.key())
                .setParameter("media", o.mediaType())
                .setParameter("size", o.sizeBytes())
                .setParameter("sha", o.sha256())
                .setParameter("channel", e.source().channel().name())
                .setParameter("system", e.source().system())
                .setParameter("ae", e.source().callingAeTitle())
                .setParameter("modality", e.modality())
                .setParameter("body", e.bodyPart())
                .setParameter("view", e.viewPosition())
                .setParameter("study", e.studyReference())
                .setParameter("studyUid", d == null ? null : d.studyInstanceUid())
                .setParameter("seriesUid", d == null ? null : d.seriesInstanceUid())
                .setParameter("sopUid", d == null ? null : d.sopInstanceUid())
                .setParameter("inScope", e.scope().inScope())
                .setParameter("scopeReason", e.scope().reason())
                .setParameter("width", e.image() == null ? null : e.image().width())
                .setParameter("height", e.image() == null ? null : e.image().height());
        q.executeUpdate();
        audit.ingested(e);
    }

    /** Returns whether the prediction was new. */
    @Transactional
    public boolean recordPrediction(ScanPredicted p) {
        int inserted = em.createNativeQuery("""
                insert into prediction (prediction_id, scan_id, outcome, model, version, role, probabilities, decision, positive_class,
                    threshold, rejection_code, rejection_reason, total_ms, predicted_at)
                values (:id, :scan, :outcome, :model, :version, :role, :probabilities, :decision, :positive, :threshold, :code, :reason,
                    :total, :at)
                on conflict (prediction_id) do nothing
                """)
                .setParameter("id", p.predictionId())
                .setParameter("scan", p.scanId())
                .setParameter("outcome", p.outcome().name())
                .setParameter("model", p.model() == null ? null : p.model().name())
                .setParameter("version", p.model() == null ? null : p.model().version())
                .setParameter("role", p.role().name())
                .setParameter("probabilities", p.probabilities() == null ? null : write(p.probabilities()))
                .setParameter("decision", p.decision())
                .setParameter("positive", p.positiveClass())
                .setParameter("threshold", p.threshold())
                .setParameter("code", p.rejection() == null ? null : p.rejection().code().name())
                .setParameter("reason", p.rejection() == null ? null : p.rejection().reason())
                .setParameter("total", p.timings() == null ? null : p.timings().totalMs())
                .setParameter("at", p.predictedAt())
                .executeUpdate();
        // The scan's answer is the one served to clinicians: ACTIVE's, or CANARY's on the scans the canary takes.
        if (p.role() == Role.ACTIVE || p.role() == Role.CANARY) {
            ensureScan(p.scanId());
            Summary s = Summary.of(p);
            em.createNativeQuery("""
                    update scan set status = :status, active_prediction_id = :id, active_role = :role, active_model = :model, active_version = :version,
                        active_decision = :decision, positive_probability = :positive, uncertainty = :uncertainty, predicted_at = :at
                    where scan_id = :scan and (predicted_at is null or predicted_at < :at
                        or (predicted_at = :at and active_prediction_id <= :id))
                    """)
                    .setParameter("status", p.outcome() == ScanPredicted.Outcome.PREDICTED ? "PREDICTED" : "REJECTED")
                    .setParameter("id", p.predictionId())
                    .setParameter("role", p.role().name())
                    .setParameter("model", p.model() == null ? null : p.model().name())
                    .setParameter("version", p.model() == null ? null : p.model().version())
                    .setParameter("decision", p.decision())
                    .setParameter("positive", s.positiveProbability())
                    .setParameter("uncertainty", s.uncertainty())
                    .setParameter("at", p.predictedAt())
                    .setParameter("scan", p.scanId())
                    .executeUpdate();
        }
        audit.predicted(p);
        return inserted == 1;
    }

    /** Returns whether the label was new. The latest confirmation becomes the scan's label. */
    @Transactional
    public boolean recordLabel(ScanLabelled l) {
        int inserted = em.createNativeQuery("""
                insert into label (label_id, scan_id, label, reviewer, confirmed_at, source, supersedes, agrees_with_prediction)
                values (:id, :scan, :label, :reviewer, :at, :source, :supersedes, :agrees)
                on conflict (label_id) do nothing
                """)
                .setParameter("id", l.labelId())
                .setParameter("scan", l.scanId())
                .setParameter("label", l.label())
                .setParameter("reviewer", l.reviewer())
                .setParameter("at", l.confirmedAt())
                .setParameter("source", l.source().name())
                .setParameter("supersedes", l.supersedes())
                .setParameter("agrees", l.agreesWithPrediction())
                .executeUpdate();
        ensureScan(l.scanId());
        em.createNativeQuery("""
                update scan set current_label_id = (
                    select label_id from label where scan_id = :scan order by confirmed_at desc, label_id desc limit 1)
                where scan_id = :scan
                """)
                .setParameter("scan", l.scanId())
                .executeUpdate();
        audit.labelled(l);
        return inserted == 1;
    }

    /** Keeps every transition, and the newest state per version. */
    @Transactional
    public void recordVersion(ModelVersion v) {
        em.createNativeQuery("""
                insert into model_transition (model, version, status, previous_status, canary_share, changed_at, changed_by, reason)
                values (:model, :version, :status, :previous, :share, :at, :by, :reason)
                on conflict do nothing
                """)
                .setParameter("model", v.model())
                .setParameter("version", v.version())
                .setParameter("status", v.status().name())
                .setParameter("previous", v.previousStatus() == null ? null : v.previousStatus().name())
                .setParameter("share", v.canaryShare())
                .setParameter("at", v.changedAt())
                .setParameter("by", v.changedBy())
                .setParameter("reason", v.reason())
                .executeUpdate();
        em.createNativeQuery("""
                insert into model_version (model, version, status, canary_share, classes, positive_class, threshold, offline_metrics,
                    changed_at, changed_by, reason)
                values (:model, :version, :status, :share, :classes, :positive, :threshold, :offline, :at, :by, :reason)
                on conflict (model, version) do update set status = excluded.status, canary_share = excluded.canary_share,
                    classes = excluded.classes, positive_class = excluded.positive_class, threshold = excluded.threshold,
                    offline_metrics = excluded.offline_metrics, changed_at = excluded.changed_at, changed_by = excluded.changed_by,
                    reason = excluded.reason
                where model_version.changed_at <= excluded.changed_at
                """)
                .setParameter("model", v.model())
                .setParameter("version", v.version())
                .setParameter("status", v.status().name())
                .setParameter("share", v.canaryShare())
                .setParameter("classes", write(v.classes()))
                .setParameter("positive", v.positiveClass())
                .setParameter("threshold", v.threshold())
                .setParameter("offline", v.offlineMetrics() == null ? null : write(v.offlineMetrics()))
                .setParameter("at", v.changedAt())
                .setParameter("by", v.changedBy())
                .setParameter("reason", v.reason())
                .executeUpdate();
        audit.transitioned(v);
    }

    private void ensureScan(String scanId) {
        em.createNativeQuery("insert into scan (scan_id) values (:id) on conflict do nothing").setParameter("id", scanId).executeUpdate();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + value, e);
        }
    }

    /**
     * What the worklist sorts by: the probability of the positive class (COVID), then how unsure
     * the model was, 1 minus the margin between its two most probable classes.
     */
    record Summary(Double positiveProbability, Double uncertainty) {

        static Summary of(ScanPredicted p) {
            Map<String, Double> probabilities = p.probabilities();
            if (p.outcome() != ScanPredicted.Outcome.PREDICTED || probabilities == null || probabilities.isEmpty()) {
                return new Summary(null, null);
            }
            List<Double> sorted = new ArrayList<>(probabilities.values());
            sorted.sort(Comparator.reverseOrder());
            double margin = sorted.get(0) - (sorted.size() > 1 ? sorted.get(1) : 0.0);
            Double positive = p.positiveClass() == null ? null : probabilities.get(p.positiveClass());
            return new Summary(positive, 1.0 - margin);
        }
    }
}
