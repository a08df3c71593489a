package io.lungflow.platform.images;

import io.lungflow.dicom.pixels.ImageLimits;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * What every service decodes, the same in ingest, inference and results so that an image ingest
 * accepts can always be scored and shown ({@code LUNGFLOW_IMAGES_MAX_DECODE_MEMORY} and so on).
 * Change a limit in all three services together.
 */
@ConfigMapping(prefix = "lungflow.images")
public interface ImagesConfig {

    /** Largest accepted width and height, in pixels. */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_SIDE)
    int maxSide();

    /** Largest accepted width × height. */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_PIXELS)
    long maxPixels();

    /** The most memory decoding one image may hold (pixels as read, the decoder's output, the modality values, the 8-bit result). */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_DECODE_BYTES)
    MemorySize maxDecodeMemory();

    /** The memory this service's decodes may hold together; at least one image's worth (see {@link #maxDecodeMemory()}). */
    @WithDefault("" + ImageLimits.DEFAULT_MAX_DECODE_BYTES)
    MemorySize decodeMemory();

    /** How long a request waits for room in {@link #decodeMemory()} before it is answered 503 with Retry-After. */
    @WithDefault("10s")
    Duration decodeWait();

    default ImageLimits limits() {
        return new ImageLimits(maxSide(), maxPixels(), maxDecodeMemory().asLongValue());
    }
}
