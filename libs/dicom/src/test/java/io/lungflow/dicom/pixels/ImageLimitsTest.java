package io.lungflow.dicom.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ImageLimitsTest {

    @Test
    void aChestXrayDetectorsFrameIsDecodedAndA16Bit6000SquareIsNot() throws Exception {
        PixelHeader xray = PixelHeader.of(header(4300, 4300, 16, 1));
        PixelHeader bomb = PixelHeader.of(header(6000, 6000, 16, 1));

        // 4300² × (2 held + 4 float + 1 gray + 1 caller's copy) = 148 MB; 6000² × 8 = 288 MB.
        assertThat(ImageLimits.dicomDecodeBytes(xray, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).isEqualTo(4300L * 4300 * 8);
        ImageLimits.DEFAULTS.check(4300, 4300, ImageLimits.dicomDecodeBytes(xray, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertThatThrownBy(() -> ImageLimits.DEFAULTS.check(6000, 6000, ImageLimits.dicomDecodeBytes(bomb, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessage("The image is 6000×6000 pixels and decoding it needs 275 MiB; an image may need at most 192 MiB "
                        + "(lungflow.images.max-decode-memory).");
    }

    @Test
    void compressedPixelsCountTheDecodersOutputAndEveryFrameIsHeld() throws Exception {
        PixelHeader ct = PixelHeader.of(header(512, 512, 16, 1));
        PixelHeader cine = PixelHeader.of(header(512, 512, 16, 300));

        long pixels = 512L * 512;
        assertThat(ct.decodeBytes(TransferSyntax.JPEG_LOSSLESS_SV1)).isEqualTo(pixels * (2 + 2 + 4 + 4 + 1));
        assertThat(cine.decodeBytes(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).isEqualTo(pixels * 2 * 300 + pixels * 5);
    }

    @Test
    void sidesAndPixelCountsAreLimitsOfTheirOwn() {
        ImageLimits limits = new ImageLimits(1000, 500_000, 1L << 30);

        assertThatThrownBy(() -> limits.check(1001, 10, 1)).hasMessageContaining("the limit is 1000 a side and 500000 pixels in all");
        assertThatThrownBy(() -> limits.check(800, 800, 1)).isInstanceOf(ImageTooLargeException.class);
        limits.check(1000, 500, 1);
    }

    @Test
    void aPngsRasterCountsItsBandsAndDepth() {
        // 16384 × 6100 RGBA at 16 bits: ImageIO's raster alone is 800 MB.
        assertThat(ImageLimits.rasterDecodeBytes(16384, 6100, 4, 16)).isEqualTo(16384L * 6100 * (8 + 2));
        assertThat(ImageLimits.rasterDecodeBytes(100, 100, 1, 1)).isEqualTo(100L * 100 * 3);
    }

    @Test
    void aDeflatedBombIsRefusedBeforeItsPixelsAreInflated() throws Exception {
        Attributes bomb = header(8000, 8000, 16, 1).putBytes(Tag.PIXEL_DATA, VR.OW, new byte[8000 * 8000 * 2]);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        new DicomWriter().write(file, bomb, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(file.size()).as("128 MB of pixels, deflated").isLessThan(300_000);
        AtomicReference<PixelHeader> seen = new AtomicReference<>();

        long before = allocatedByThisThread();
        assertThatThrownBy(() -> new DicomReader().read(new ByteArrayInputStream(file.toByteArray()), (dataset, ts) -> {
            PixelHeader header = PixelHeader.of(dataset);
            seen.set(header);
            ImageLimits.DEFAULTS.check(header.columns(), header.rows(), ImageLimits.dicomDecodeBytes(header, ts));
        })).isInstanceOf(ImageTooLargeException.class).hasMessageContaining("8000×8000");
        long allocated = allocatedByThisThread() - before;

        assertThat(seen.get().rows()).isEqualTo(8000);
        assertThat(allocated).as("bytes the refused read allocated").isLessThan(16L << 20);
    }

    @Test
    void aDecodeWaitsForRoomAndIsToldWhenThereIsNone() throws Exception {
        DecodeBudget budget = new DecodeBudget(100L << 20);
        DecodeBudget.Lease large = budget.take(80L << 20, Duration.ofSeconds(1));

        assertThat(budget.available()).isEqualTo(20L << 20);
        assertThatThrownBy(() -> budget.take(30L << 20, Duration.ofMillis(50)))
                .isInstanceOf(DecodeBudget.BudgetBusyException.class).hasMessageContaining("no room for 30 MiB");
        try (DecodeBudget.Lease small = budget.take(20L << 20, Duration.ofMillis(50))) {
            assertThat(budget.available()).isZero();
        }
        large.close();
        large.close();
        assertThat(budget.available()).isEqualTo(100L << 20);
        try (DecodeBudget.Lease all = budget.take(1L << 40)) {
            assertThat(budget.available()).as("a need beyond the budget takes all of it and runs alone").isZero();
        }
    }

    private static Attributes header(int rows, int columns, int bits, int frames) {
        Attributes a = DicomPixelsTest.image("DX", "MONOCHROME2", bits, bits, false, null, null, new byte[0]);
        a.remove(Tag.PIXEL_DATA);
        a.putUnsignedShort(Tag.ROWS, rows).putUnsignedShort(Tag.COLUMNS, columns);
        if (frames > 1) {
            a.putString(Tag.NUMBER_OF_FRAMES, VR.IS, Integer.toString(frames));
        }
        return a;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
