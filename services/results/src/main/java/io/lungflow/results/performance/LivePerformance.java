package io.lungflow.results.performance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lungflow.results.messaging.ResultsEvents;
import io.lungflow.schemas.ModelPerformance;
import io.lungflow.schemas.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Live metrics of every model version in every role, against the labels radiologists confirmed:
 * computed from PostgreSQL, exposed as Prometheus gauges (labels model, version, role; nothing
 * about patients), and published on models.performance whenever they change.
 */
@ApplicationScoped
public class LivePerformance {

    private static final Logger LOG = Logger.getLogger(LivePerformance.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final ResultsEvents events;
    private final MeterRegistry registry;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final Map<String, ModelPerformance> current = new ConcurrentHashMap<>();
    private final Map<String, ModelPerformance> published = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    LivePerformance(EntityManager em, ObjectMapper json, ResultsEvents events, MeterRegistry registry) {
        this.em = em;
        this.json = json;
        this.events = events;
        this.registry = registry;
    }

    /** A prediction or label arrived: the next refresh recomputes. */
    public void changed() {
        dirty.set(true);
    }

    @Scheduled(every = "${lungflow.results.performance-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (!dirty.getAndSet(false)) {
            return;
        }
        try {
            for (ModelPerformance p : compute(null, null)) {
                current.put(p.key(), p);
                gauge(p);
                ModelPerformance last = published.get(p.key());
                if (last == null || last.labelled() != p.labelled() || !last.confusionMatrix().equals(p.confusionMatrix())) {
                    events.performance(p);
                    published.put(p.key(), p);
                }
            }
        } catch (RuntimeException e) {
            dirty.set(true);
            LOG.warnf("Live metrics not refreshed (%s); trying again at the next refresh", e.getMessage());
        }
    }

    /** Every version and role that made predictions, optionally of one model (and version), newest first. */
    @Transactional
    public List<ModelPerformance> compute(String model, String version) {
        Map<String, Group> groups = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> predicted = em.createNativeQuery("""
                select p.model, p.version, p.role, max(p.positive_class), max(p.recorded_at), max(v.classes)
                from prediction p left join model_version v on v.model = p.model and v.version = p.version
                where p.outcome = 'PREDICTED' and (cast(:model as varchar) is null or p.model = :model)
                    and (cast(:version as varchar) is null or p.version = :version)
                group by p.model, p.version, p.role
                """).setParameter("model", model).setParameter("version", version).getResultList();
        for (Object[] r : predicted) {
            List<String> classes = r[5] == null ? List.of() : read((String) r[5]);
            Group g = new Group((String) r[0], (String) r[1], Role.valueOf((String) r[2]), (String) r[3], new ConfusionCounts(classes),
                    instant(r[4]));
            groups.put(g.key(), g);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> labelled = em.createNativeQuery("""
                select p.model, p.version, p.role, l.label, p.decision, count(*), max(greatest(p.recorded_at, l.recorded_at))
                from prediction p join scan s on s.scan_id = p.scan_id join label l on l.label_id = s.current_label_id
                where p.outcome = 'PREDICTED' and (cast(:model as varchar) is null or p.model = :model)
                    and (cast(:version as varchar) is null or p.version = :version)
                group by p.model, p.version, p.role, l.label, p.decision
                """).setParameter("model", model).setParameter("version", version).getResultList();
        for (Object[] r : labelled) {
            Group g = groups.get(r[0] + ":" + r[1] + ":" + r[2]);
            if (g != null) {
                g.counts().add((String) r[3], (String) r[4], ((Number) r[5]).longValue());
                g.latest(instant(r[6]));
            }
        }
        List<ModelPerformance> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.add(g.counts().toPerformance(g.model(), g.version(), g.role(), g.positiveClass(), g.updatedAt()));
        }
        out.sort(Comparator.comparing(ModelPerformance::updatedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    private void gauge(ModelPerformance p) {
        if (!gauged.add(p.key())) {
            return;
        }
        register("lungflow.live.labelled", "Predictions of this version and role with a confirmed label", p, m -> m.labelled());
        register("lungflow.live.sensitivity", "Sensitivity for the positive class on confirmed labels", p, ModelPerformance::sensitivity);
        register("lungflow.live.specificity", "Specificity on confirmed labels", p, ModelPerformance::specificity);
        register("lungflow.live.ppv", "Positive predictive value on confirmed labels", p, ModelPerformance::ppv);
        register("lungflow.live.accuracy", "Accuracy on confirmed labels", p, ModelPerformance::accuracy);
    }

    private void register(String name, String help, ModelPerformance p, java.util.function.Function<ModelPerformance, Number> value) {
        String key = p.key();
        ToDoubleFunction<Map<String, ModelPerformance>> read = map -> {
            ModelPerformance now = map.get(key);
            Number n = now == null ? null : value.apply(now);
            return n == null ? Double.NaN : n.doubleValue();
        };
        Gauge.builder(name, current, read).description(help)
                .tag("model", p.model()).tag("version", p.version()).tag("role", p.role().name())
                .register(registry);
    }

    private List<String> read(String classes) {
        try {
            return json.readValue(classes, STRINGS);
        } catch (Exception e) {
            return List.of();
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return null;
    }

    private static final class Group {
        private final String model;
        private final String version;
        private final Role role;
        private final String positiveClass;
        private final ConfusionCounts counts;
        private Instant updatedAt;

        Group(String model, String version, Role role, String positiveClass, ConfusionCounts counts, Instant updatedAt) {
            this.model = model;
            this.version = version;
            this.role = role;
            this.positiveClass = positiveClass;
            this.counts = counts;
            this.updatedAt = updatedAt;
        }

        String key() {
            return model + ":" + version + ":" + role;
        }

        String model() {
            return model;
        }

        String version() {
            return version;
        }

        Role role() {
            return role;
        }

        String positiveClass() {
            return positiveClass;
        }

        ConfusionCounts counts() {
            return counts;
        }

        Instant updatedAt() {
            return updatedAt;
        }

        void latest(Instant at) {
            if (at != null && (updatedAt == null || at.isAfter(updatedAt))) {
                updatedAt = at;
            }
        }
    }
}
