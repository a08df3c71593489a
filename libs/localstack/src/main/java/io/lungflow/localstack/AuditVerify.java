package io.lungflow.localstack;

import io.lungflow.schemas.AuditChain;
import io.lungflow.schemas.AuditRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./lungflow audit verify}: reads the audit table straight from PostgreSQL (not through a
 * service, which could be the thing that lies) and checks its hash chain. Exit status 0 when it is
 * intact, 1 when it breaks (the first broken record and why are printed), 2 when it cannot be read.
 *
 * <p>Usage: {@code AuditVerify JDBC_URL USER} with the password in {@code LUNGFLOW_DB_PASSWORD}.
 */
public final class AuditVerify {

    private static final int PAGE = 5000;

    private AuditVerify() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: AuditVerify JDBC_URL USER   (password in LUNGFLOW_DB_PASSWORD)");
            System.exit(2);
        }
        String password = System.getenv().getOrDefault("LUNGFLOW_DB_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(args[0], args[1], password)) {
            c.setReadOnly(true);
            AuditChain.Verification v = AuditChain.verifyPages(after -> page(c, after));
            System.out.println(v.describe());
            System.exit(v.intact() ? 0 : 1);
        } catch (SQLException | IllegalStateException e) {
            System.err.println("lungflow: the audit table could not be read from " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }

    private static List<AuditChain.StoredRecord> page(Connection c, long after) {
        try (PreparedStatement s = c.prepareStatement("select seq, recorded_at, kind, source_id, details, previous_hash, hash from audit_record "
                + "where seq > ? order by seq limit ?")) {
            s.setLong(1, after);
            s.setInt(2, PAGE);
            List<AuditChain.StoredRecord> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditChain.StoredRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), AuditRecord.Kind.valueOf(rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
