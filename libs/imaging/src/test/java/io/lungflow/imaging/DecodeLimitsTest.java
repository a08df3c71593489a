package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.testkit.TestDicom;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What inference's decoding does with images beyond the limits ingest applies, and with a budget others hold. */
class DecodeLimitsTest {

    @Test
    void aPngWhoseRasterIsBeyondTheLimitIsRefusedWithoutBeingDecoded() {
        byte[] png = PngFiles.zeros(16384, 6100, 16, PngFiles.RGBA);

        long before = allocatedByThisThread();
        assertThatThrownBy(() -> ImageDecoding.decode(png, ImageLimits.DEFAULTS, new DecodeBudget(ImageLimits.DEFAULT_MAX_DECODE_BYTES)))
                .isInstanceOf(UndecodableImageException.class)
                .hasMessageContaining("beyond the limits").hasMessageContaining("16384×6100").hasMessageContaining("max-decode-memory");
        assertThat(allocatedByThisThread() - before).as("bytes allocated refusing an 800 MB raster").isLessThan(32L << 20);
    }

    @Test
    void aDeflatedDicomBombIsRefusedBeforeItsPixelsAreInflated() {
        byte[] bomb = TestDicom.deflatedBomb(8000, 11);

        long before = allocatedByThisThread();
        assertThatThrownBy(() -> ImageDecoding.decode(bomb, ImageLimits.DEFAULTS, null))
                .isInstanceOf(UndecodableImageException.class).hasMessageContaining("8000×8000");
        assertThat(allocatedByThisThread() - before).as("bytes allocated refusing 128 MB of deflated pixels").isLessThan(32L << 20);
    }

    @Test
    void aDecodeWaitsUntilTheBudgetHasRoomAndThenSucceeds() throws Exception {
        byte[] png = PngFiles.zeros(512, 512, 8, PngFiles.GRAY);
        DecodeBudget budget = new DecodeBudget(1L << 20);
        DecodeBudget.Lease everything = budget.take(1L << 20, Duration.ofSeconds(1));

        CompletableFuture<GrayImage> decoded = CompletableFuture.supplyAsync(() -> {
            try {
                return ImageDecoding.decode(png, ImageLimits.DEFAULTS, budget);
            } catch (UndecodableImageException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> decoded.get(300, TimeUnit.MILLISECONDS)).as("no room yet").isInstanceOf(TimeoutException.class);
        everything.close();

        assertThat(decoded.get(10, TimeUnit.SECONDS).width()).isEqualTo(512);
        assertThat(budget.available()).as("given back after the decode").isEqualTo(1L << 20);
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
