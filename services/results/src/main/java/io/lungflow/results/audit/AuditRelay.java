package io.lungflow.results.audit;

import io.lungflow.platform.events.EventMessages;
import io.lungflow.results.messaging.Channels;
import io.lungflow.schemas.AuditChain;
import io.lungflow.schemas.AuditRecord;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Feeds the audit topic from the audit table, in sequence order: each record is sent and
 * acknowledged by the broker before the cursor moves past it, so the topic holds every record
 * (a record may be sent twice after a crash; consumers keep the first of each seq). While the
 * broker is away the table keeps recording and the relay catches up when it returns.
 */
@ApplicationScoped
public class AuditRelay {

    private static final Logger LOG = Logger.getLogger(AuditRelay.class);
    private static final URI SOURCE = EventMessages.source("results");
    private static final Duration ACK = Duration.ofSeconds(15);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final AuditTrail trail;
    private final EntityManager em;
    private final MutinyEmitter<AuditRecord> topic;

    AuditRelay(AuditTrail trail, EntityManager em, @Channel(Channels.AUDIT) MutinyEmitter<AuditRecord> topic) {
        this.trail = trail;
        this.em = em;
        this.topic = topic;
    }

    // Not before the application runs: until then the audit channel may not be connected yet.
    @Scheduled(every = "${lungflow.results.audit-relay-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void relay() {
        try {
            while (true) {
                List<AuditChain.StoredRecord> batch = trail.after(cursor(), 200);
                if (batch.isEmpty()) {
                    return;
                }
                for (AuditChain.StoredRecord r : batch) {
                    AuditRecord record = new AuditRecord(r.seq(), r.recordedAt(), r.kind(), r.sourceId(), details(r.canonicalDetails()),
                            r.previousHash(), r.hash());
                    String key = Long.toString(r.seq());
                    topic.sendMessage(EventMessages.message(SOURCE, key, "audit-" + key, r.sourceId(), record)).await().atMost(ACK);
                    advance(r.seq());
                }
            }
        } catch (RuntimeException e) {
            LOG.infof("The audit topic is behind the audit table (%s); the relay tries again", e.getMessage());
        }
    }

    @Transactional
    long cursor() {
        return ((Number) em.createNativeQuery("select last_seq from audit_relay where id = 1").getSingleResult()).longValue();
    }

    @Transactional
    void advance(long seq) {
        em.createNativeQuery("update audit_relay set last_seq = :seq where id = 1 and last_seq < :seq").setParameter("seq", seq).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(String canonical) {
        try {
            return JSON.readValue(canonical, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("An audit record's details are not JSON", e);
        }
    }
}
