package io.lungflow.ingest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.lungflow.ingest.quota.MinimumRateInputStream;
import java.io.InputStream;
import java.time.Duration;

/** Settings of the ingest service; each has an environment variable, e.g. {@code LUNGFLOW_INGEST_MAX_UPLOAD_SIZE}. */
@ConfigMapping(prefix = "lungflow.ingest")
public interface IngestConfig {

    /** Largest accepted image; a larger body is refused with 413 before it is stored. */
    @WithDefault("64M")
    MemorySize maxUploadSize();

    /** Smallest accepted width and height, in pixels. */
    @WithDefault("16")
    int minDimension();

    // The largest image (sides, pixels, decoding memory) is lungflow.images.*, shared with inference and results.

    /** How long an upload waits for the broker to acknowledge its event before answering 503. */
    @WithDefault("10s")
    Duration brokerAckTimeout();

    /** The Retry-After given with a 503. */
    @WithDefault("10s")
    Duration retryAfter();

    /** Where a client follows an accepted scan: this prefix plus the scan id. */
    @WithDefault("/api/v1/scans/")
    String statusBaseUrl();

    /** What one client may ask of the upload endpoints (plain upload, form upload, STOW-RS). */
    Quota quota();

    /** {@code body}, refused with 408 if it arrives slower than {@link Quota#minBodyRate()}. */
    default InputStream paced(InputStream body) {
        return new MinimumRateInputStream(body, quota().minBodyRate().asLongValue(), quota().bodyGrace(), System::nanoTime);
    }

    /**
     * Per-client limits, so that one sender that loops on bad input, floods or trickles cannot
     * crowd out the others. A client is an API key's name or a bearer token's subject. Each limit
     * is answered with a 429 problem and Retry-After, before the body is read.
     */
    interface Quota {

        /** Off only where something in front of ingest applies its own quotas. */
        @WithDefault("true")
        boolean enabled();

        /** Uploads one client may have in progress at once. */
        @WithDefault("32")
        int concurrentUploads();

        /** Uploads one client may start per second on average; twice as many in a burst. */
        @WithDefault("200")
        int uploadsPerSecond();

        /**
         * Refused uploads (400, 408, 409, 411, 413, 415) one client may cause per refusal period;
         * beyond them its uploads are answered 429 until the allowance refills, one refusal's
         * worth at a time.
         */
        @WithDefault("30")
        int refusals();

        @WithDefault("1m")
        Duration refusalPeriod();

        /**
         * How long the 429 to a client that has used up its refusals is held back (without holding
         * a thread), so that a sender looping on them costs a few answers a second.
         */
        @WithDefault("1s")
        Duration turnedAwayDelay();

        /** A body that arrives slower than this on average, once body-grace has passed, is refused with 408. */
        @WithDefault("8K")
        MemorySize minBodyRate();

        @WithDefault("15s")
        Duration bodyGrace();
    }
}
