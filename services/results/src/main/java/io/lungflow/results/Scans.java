package io.lungflow.results;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.pseudonym.Pseudonymizer;
import io.lungflow.results.api.Views;
import io.lungflow.results.messaging.ResultsEvents;
import io.lungflow.results.performance.LivePerformance;
import io.lungflow.results.store.LabelRow;
import io.lungflow.results.store.ModelVersionRow;
import io.lungflow.results.store.PredictionRow;
import io.lungflow.results.store.ResultsStore;
import io.lungflow.results.store.ScanRow;
import io.lungflow.schemas.ScanLabelled;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads scans for the API and the review page, and confirms labels. */
@ApplicationScoped
public class Scans {

    private static final Logger LOG = Logger.getLogger(Scans.class);
    private static final TypeReference<Map<String, Double>> PROBABILITIES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> CLASSES = new TypeReference<>() {
    };

    /** Filters of a scan search; null means any. */
    public record Filter(String study, String decision, String status, String model, String version, Instant from, Instant to) {
    }

    private final ResultsStore store;
    private final ResultsEvents events;
    private final LivePerformance performance;
    private final Pseudonymizer pseudonyms;
    private final ObjectMapper json;
    private final ResultsConfig config;

    Scans(ResultsStore store, ResultsEvents events, LivePerformance performance, Pseudonymizer pseudonyms, ObjectMapper json,
            ResultsConfig config) {
        this.store = store;
        this.events = events;
        this.performance = performance;
        this.pseudonyms = pseudonyms;
        this.json = json;
        this.config = config;
    }

    @Transactional
    public Views.Scan get(String scanId) {
        ScanRow scan = ScanRow.findById(scanId);
        if (scan == null) {
            throw ProblemException.notFound("scan-not-found", "No scan " + scanId + " is known to results (yet: events may still be on their way).");
        }
        return view(scan, true);
    }

    @Transactional
    public Views.Page<Views.Scan> search(Filter f, int page, int size) {
        StringBuilder where = new StringBuilder("s.receivedAt is not null");
        Map<String, Object> params = new HashMap<>();
        if (f.study() != null) {
            where.append(" and (s.studyReference = :study or s.studyInstanceUid = :study)");
            params.put("study", f.study());
        }
        if (f.decision() != null) {
            where.append(" and s.activeDecision = :decision");
            params.put("decision", f.decision());
        }
        if (f.status() != null) {
            where.append(" and s.status = :status");
            params.put("status", f.status().toUpperCase(Locale.ROOT));
        }
        if (f.model() != null || f.version() != null) {
            where.append(" and exists (select 1 from PredictionRow p where p.scanId = s.scanId");
            if (f.model() != null) {
                where.append(" and p.model = :model");
                params.put("model", f.model());
            }
            if (f.version() != null) {
                where.append(" and p.version = :version");
                params.put("version", f.version());
            }
            where.append(")");
        }
        if (f.from() != null) {
            where.append(" and s.receivedAt >= :from");
            params.put("from", f.from());
        }
        if (f.to() != null) {
            where.append(" and s.receivedAt < :to");
            params.put("to", f.to());
        }
        return page("from ScanRow s where " + where, "s.receivedAt desc, s.scanId", params, page, size, false);
    }

    /** Predicted scans nobody has labelled yet: most probably COVID first, then the ones the model was least sure of. */
    @Transactional
    public Views.Page<Views.Scan> worklist(int page, int size) {
        return page("from ScanRow s where s.status = 'PREDICTED' and s.currentLabelId is null",
                "s.positiveProbability desc nulls last, s.uncertainty desc nulls last, s.receivedAt, s.scanId", Map.of(), page, size, true);
    }

    /**
     * Confirms a scan's label: the event goes to scans.labels first (the record every other
     * service learns from), then into the database. A second confirmation supersedes the first.
     */
    public Views.Label confirm(String scanId, String label, String reviewer, ScanLabelled.Source source) {
        ScanLabelled event = prepare(scanId, label, reviewer, source);
        try {
            events.label(event);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("broker-unavailable",
                    "The label could not be recorded because the message broker did not confirm it; nothing was saved, try again.",
                    Duration.ofSeconds(5), e);
        }
        try {
            store.recordLabel(event);
            performance.changed();
        } catch (RuntimeException e) {
            // The event is durable in Kafka; the consumer stores it once the database answers.
            LOG.warnf("Label %s of scan %s is on scans.labels; the database will have it when it is back (%s)", event.labelId(), scanId,
                    e.getMessage());
        }
        return new Views.Label(event.labelId(), event.label(), event.reviewer(), event.confirmedAt(), event.source().name(),
                event.supersedes(), event.agreesWithPrediction(), true);
    }

    @Transactional
    ScanLabelled prepare(String scanId, String label, String reviewer, ScanLabelled.Source source) {
        ScanRow scan = ScanRow.findById(scanId);
        if (scan == null) {
            throw ProblemException.notFound("scan-not-found", "No scan " + scanId + " is known to results.");
        }
        if (!"PREDICTED".equals(scan.status)) {
            throw ProblemException.conflict("scan-not-predicted", "Scan " + scanId + " is " + scan.status
                    + ": a label can be confirmed once the active model has predicted it.");
        }
        List<String> classes = classes(scan);
        String normalised = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        if (!classes.contains(normalised)) {
            throw ProblemException.badRequest("unknown-label", "\"" + label + "\" is not a class of model " + scan.activeModel
                    + "; choose one of " + classes + ".");
        }
        return new ScanLabelled(UUID.randomUUID().toString(), scanId, normalised, pseudonyms.pseudonym(reviewer), Instant.now(), source,
                scan.currentLabelId, normalised.equals(scan.activeDecision));
    }

    /** The classes of the model that answered for the scan, in the model's order. */
    private List<String> classes(ScanRow scan) {
        ModelVersionRow version = ModelVersionRow.findById(new ModelVersionRow.Key(scan.activeModel, scan.activeVersion));
        if (version != null) {
            return read(version.classes, CLASSES);
        }
        PredictionRow active = PredictionRow.findById(scan.activePredictionId);
        return active == null || active.probabilities == null ? List.of() : new ArrayList<>(read(active.probabilities, PROBABILITIES).keySet());
    }

    private Views.Page<Views.Scan> page(String query, String order, Map<String, Object> params, int page, int size, boolean details) {
        int bounded = Math.max(1, Math.min(size, config.maxPageSize()));
        int index = Math.max(0, page);
        if ((long) index * bounded > Integer.MAX_VALUE) {
            throw ProblemException.badRequest("invalid-page", "Page " + page + " of " + bounded + " scans lies beyond any result "
                    + "(more than " + Integer.MAX_VALUE + " scans in); ask for an earlier page.");
        }
        PanacheQuery<ScanRow> q = ScanRow.find(query + " order by " + order, params);
        List<Views.Scan> items = new ArrayList<>();
        for (ScanRow row : q.page(Page.of(index, bounded)).<ScanRow>list()) {
            items.add(view(row, details));
        }
        var count = ScanRow.getEntityManager().createQuery("select count(s) " + query, Long.class);
        params.forEach(count::setParameter);
        long total = count.getSingleResult();
        return new Views.Page<>(items, index, bounded, total);
    }

    private Views.Scan view(ScanRow s, boolean details) {
        List<Views.Prediction> predictions = null;
        Views.Label current = null;
        List<Views.Label> history = null;
        if (details) {
            predictions = new ArrayList<>();
            for (PredictionRow p : PredictionRow.ofScan(s.scanId)) {
                predictions.add(new Views.Prediction(p.predictionId, p.role, p.outcome, p.model, p.version,
                        p.probabilities == null ? null : read(p.probabilities, PROBABILITIES), p.decision, p.positiveClass, p.threshold,
                        p.rejectionCode, p.rejectionReason, p.predictedAt));
            }
            history = new ArrayList<>();
            for (LabelRow l : LabelRow.ofScan(s.scanId)) {
                Views.Label v = new Views.Label(l.labelId, l.label, l.reviewer, l.confirmedAt, l.source, l.supersedes,
                        l.agreesWithPrediction, l.labelId.equals(s.currentLabelId));
                history.add(v);
                if (v.current()) {
                    current = v;
                }
            }
        }
        return new Views.Scan(s.scanId, s.status, s.receivedAt, s.channel, s.modality, s.bodyPart, s.viewPosition, s.studyReference,
                s.sopInstanceUid == null ? null : new Views.Dicom(s.studyInstanceUid, s.seriesInstanceUid, s.sopInstanceUid),
                s.inScope == null ? null : new Views.Scope(s.inScope, s.scopeReason),
                s.objectKey == null ? null : new Views.Image("/api/v1/scans/" + s.scanId + "/image", s.mediaType, s.sizeBytes, s.width, s.height),
                s.activePredictionId == null ? null : new Views.Active(s.activePredictionId, s.activeRole, s.activeModel, s.activeVersion,
                        s.activeDecision, s.positiveProbability, s.uncertainty, s.predictedAt),
                predictions, current, history);
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("Stored JSON does not parse: " + e.getMessage(), e);
        }
    }
}
