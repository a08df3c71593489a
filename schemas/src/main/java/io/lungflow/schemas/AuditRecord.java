package io.lungflow.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of lungflow's audit trail (schema {@code audit.v1}, topic {@code audit}, key the
 * sequence number): what happened, to what, by whom (pseudonymous), and the hash that chains it
 * to the entry before. {@link AuditChain} computes and checks the hashes. Never carries patient
 * data.
 */
public record AuditRecord(
        long seq,
        Instant recordedAt,
        Kind kind,
        String sourceId,
        Map<String, Object> details,
        String previousHash,
        String hash) {

    public static final String CE_TYPE = "io.lungflow.audit.v1";

    public enum Kind {
        /** A scan was accepted (scan id, channel, modality, scope). */
        SCAN_INGESTED,
        /** A model version answered for a scan (model, version, role, threshold, outcome, decision). */
        PREDICTION,
        /** A reviewer confirmed a label (pseudonymous reviewer, label, source). */
        LABEL,
        /** A model version changed status (who, pseudonymous; why). */
        MODEL_TRANSITION
    }
}
