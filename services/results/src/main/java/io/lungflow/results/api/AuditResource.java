package io.lungflow.results.api;

import io.lungflow.platform.problem.ProblemException;
import io.lungflow.platform.security.Roles;
import io.lungflow.results.audit.AuditTopic;
import io.lungflow.results.audit.AuditTrail;
import io.lungflow.schemas.AuditChain;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** The audit trail as results keeps it, and a check of its hash chain. */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/audit")
@Tag(name = "audit", description = "Who did what and which model said what, chained by hash")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final int PAGE = 1000;

    private final AuditTrail trail;
    private final AuditTopic topic;

    AuditResource(AuditTrail trail, AuditTopic topic) {
        this.trail = trail;
        this.topic = topic;
    }

    @GET
    @Operation(summary = "Audit records after a sequence number, in order", description = "At most 1000 at a time; details are canonical JSON.")
    public List<AuditChain.StoredRecord> list(@RestQuery Long after, @RestQuery Integer limit) {
        return trail.after(after == null ? 0 : Math.max(0, after), limit == null ? 100 : Math.max(1, Math.min(PAGE, limit)));
    }

    @GET
    @Path("/verification")
    @Operation(summary = "Check the whole chain, and the table against the audit topic",
            description = "intact, or the first record where it breaks and why: the chain's own links, then each record against its copy on "
                    + "the audit topic (which catches a tail cut off, or a rewrite with every later hash recomputed). 503 when the broker "
                    + "cannot be read. `./lungflow audit verify` does the same reading PostgreSQL and Kafka directly.")
    public AuditChain.Report verify() {
        AuditChain.Verification chain = AuditChain.verifyPages(after -> trail.after(after, PAGE));
        AuditChain.Anchoring anchoring;
        try {
            anchoring = AuditChain.compareWithTopic(after -> trail.after(after, PAGE), AuditChain.topicHashes(topic.values()));
        } catch (IllegalStateException e) {
            throw ProblemException.unavailable("broker-unavailable", "The audit topic could not be read to compare the table with it: "
                    + e.getMessage(), java.time.Duration.ofSeconds(10), e);
        }
        return AuditChain.Report.of(chain, anchoring);
    }
}
