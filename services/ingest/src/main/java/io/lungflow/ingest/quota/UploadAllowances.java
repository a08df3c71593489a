package io.lungflow.ingest.quota;

import io.github.bucket4j.TimeMeter;
import io.lungflow.ingest.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** The service's {@link ClientQuotas}, made from lungflow.ingest.quota.* at start. */
@ApplicationScoped
public class UploadAllowances {

    private final boolean enabled;
    private final long maxUploadSize;
    private final java.time.Duration turnedAwayDelay;
    private final ClientQuotas quotas;

    UploadAllowances(IngestConfig config) {
        IngestConfig.Quota q = config.quota();
        this.enabled = q.enabled();
        this.maxUploadSize = config.maxUploadSize().asLongValue();
        this.turnedAwayDelay = q.turnedAwayDelay();
        this.quotas = new ClientQuotas(new ClientQuotas.Limits(q.concurrentUploads(), q.uploadsPerSecond(), q.refusals(), q.refusalPeriod()),
                TimeMeter.SYSTEM_NANOTIME);
    }

    /** lungflow.ingest.max-upload-size, in bytes. */
    public long maxUploadSize() {
        return maxUploadSize;
    }

    /** How long the answer to a client turned away for its refusals is held back. */
    public java.time.Duration turnedAwayDelay() {
        return turnedAwayDelay;
    }

    /** Admits an upload by {@code client}, or null when quotas are off; see {@link ClientQuotas#admit}. */
    public ClientQuotas.Admission admit(String client) {
        return enabled ? quotas.admit(client) : null;
    }
}
