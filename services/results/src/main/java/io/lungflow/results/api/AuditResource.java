package io.lungflow.results.api;

import io.lungflow.platform.security.Roles;
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

    AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @Operation(summary = "Audit records after a sequence number, in order", description = "At most 1000 at a time; details are canonical JSON.")
    public List<AuditChain.StoredRecord> list(@RestQuery Long after, @RestQuery Integer limit) {
        return trail.after(after == null ? 0 : Math.max(0, after), limit == null ? 100 : Math.max(1, Math.min(PAGE, limit)));
    }

    @GET
    @Path("/verification")
    @Operation(summary = "Check the whole chain", description = "intact, or the first record where it breaks and why. "
            + "`./lungflow audit verify` does the same reading PostgreSQL directly.")
    public AuditChain.Verification verify() {
        return AuditChain.verifyPages(after -> trail.after(after, PAGE));
    }
}
