package io.lungflow.ingest.dimse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The DICOM node: where it listens, what it calls itself, whom it accepts (PS3.8). */
@ConfigMapping(prefix = "lungflow.dicom")
public interface DicomNodeConfig {

    /** Whether the C-STORE SCP listens at all. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("11112")
    int port();

    /** The called AE title associations must name. */
    @WithDefault("LUNGFLOW")
    String aeTitle();

    /** Calling AE titles allowed to associate; none configured means any (said at start). */
    Optional<List<String>> allowedCallingAeTitles();

    /** The largest P-DATA-TF PDU this node receives (its Maximum Length in the association). */
    @WithDefault("65536")
    int maxPduLength();

    /** How long an association may stay silent (ARTIM and idle timeout). */
    @WithDefault("30s")
    Duration idleTimeout();

    /**
     * Associations served at once, counted from their acceptance (after the AE titles are checked); one more is rejected as
     * transient (local limit exceeded), so its peer sends again later.
     */
    @WithDefault("16")
    int maxAssociations();

    /**
     * How long a connection has, from the moment it is accepted, to complete its association request: a peer that sends it a byte
     * at a time is closed when this runs out, however often it sends.
     */
    @WithDefault("10s")
    Duration negotiationTimeout();

    /** Connections not yet associated, from all peers together; more are refused as transient at once. */
    @WithDefault("32")
    int maxNegotiations();

    /** Connections not yet associated from one IP address; more from it are refused as transient at once. */
    @WithDefault("4")
    int maxNegotiationsPerPeer();
}
