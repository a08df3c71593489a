package io.lungflow.results.audit;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Says at start whether the audit trail's append-only rule holds against this service's own
 * database role: a superuser, or the table's owner, can switch its triggers off. Production gives
 * results a role of its own (LUNGFLOW_DB_USERNAME) and migrates as the owner
 * (LUNGFLOW_DB_OWNER_USERNAME); then only an owner's or superuser's change goes around the rule,
 * and verification against the audit topic still finds it.
 */
@ApplicationScoped
public class AuditTableGuard {

    private static final Logger LOG = Logger.getLogger(AuditTableGuard.class);

    private final EntityManager em;

    AuditTableGuard(EntityManager em) {
        this.em = em;
    }

    @Transactional
    void check(@Observes StartupEvent start) {
        Object[] row = (Object[]) em.createNativeQuery("""
                select current_user, r.rolsuper, pg_get_userbyid(c.relowner) = current_user
                from pg_roles r, pg_class c
                where r.rolname = current_user and c.oid = to_regclass('audit_record')
                """).getSingleResult();
        boolean superuser = Boolean.TRUE.equals(row[1]);
        boolean owner = Boolean.TRUE.equals(row[2]);
        if (superuser || owner) {
            LOG.warnf("results connects to PostgreSQL as %s, %s of the audit trail's table: it could switch off the table's append-only "
                    + "triggers. Give results a role of its own (LUNGFLOW_DB_USERNAME) and migrate as the owner (LUNGFLOW_DB_OWNER_USERNAME); "
                    + "see the results README", row[0], superuser ? "a superuser" : "the owner");
        } else {
            LOG.infof("results connects to PostgreSQL as %s, which may only read and append to the audit trail", row[0]);
        }
    }
}
