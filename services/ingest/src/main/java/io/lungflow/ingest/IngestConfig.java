package io.lungflow.ingest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /** Largest accepted width and height, in pixels. */
    @WithDefault("16384")
    int maxDimension();

    /** Largest accepted width × height, so that no image can exhaust memory when decoded. */
    @WithDefault("100000000")
    long maxPixels();

    /** How long an upload waits for the broker to acknowledge its event before answering 503. */
    @WithDefault("10s")
    Duration brokerAckTimeout();

    /** The Retry-After given with a 503. */
    @WithDefault("10s")
    Duration retryAfter();

    /** Where a client follows an accepted scan: this prefix plus the scan id. */
    @WithDefault("/api/v1/scans/")
    String statusBaseUrl();
}
