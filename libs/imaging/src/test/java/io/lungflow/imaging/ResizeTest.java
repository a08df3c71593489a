package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Resizing against values worked out by hand from the definitions of each method. */
class ResizeTest {

    @Test
    void bilinearUsesHalfPixelCentres() {
        GrayImage src = new GrayImage(2, 1, new byte[] {0, 100});
        // Output x maps to source (x + 0.5) · 0.5 − 0.5 = −0.25, 0.25, 0.75, 1.25 (clamped to 0..1).
        assertThat(Resize.resize(src, 4, 1, Resize.Method.BILINEAR)).containsExactly(0f, 25f, 75f, 100f);
    }

    @Test
    void bilinearInterpolatesInBothDirections() {
        GrayImage src = new GrayImage(2, 2, new byte[] {0, 40, 80, 120});
        float[] out = Resize.resize(src, 4, 4, Resize.Method.BILINEAR);
        // Row 1 samples source y = 0.25: (1 − 0.25)·row0 + 0.25·row1; column 2 samples x = 0.75.
        float row0 = 0 * 0.25f + 40 * 0.75f;
        float row1 = 80 * 0.25f + 120 * 0.75f;
        assertThat(out[1 * 4 + 2]).isCloseTo(0.75f * row0 + 0.25f * row1, within(1e-4f));
        assertThat(out[0]).isEqualTo(0f);
        assertThat(out[15]).isEqualTo(120f);
    }

    @Test
    void theSameSizeKeepsEveryPixel() {
        byte[] pixels = {1, 2, 3, (byte) 250, 5, 6};
        GrayImage src = new GrayImage(3, 2, pixels);
        for (Resize.Method method : Resize.Method.values()) {
            assertThat(Resize.resize(src, 3, 2, method)).containsExactly(1f, 2f, 3f, 250f, 5f, 6f);
        }
    }

    @Test
    void areaAveragesWholeBlocks() {
        GrayImage src = new GrayImage(4, 2, new byte[] {0, 10, 20, 30, 40, 50, 60, 70});
        // Each target pixel covers a 2×2 block.
        assertThat(Resize.resize(src, 2, 1, Resize.Method.AREA)).containsExactly(25f, 45f);
    }

    @Test
    void areaWeighsPartlyCoveredPixels() {
        GrayImage src = new GrayImage(3, 1, new byte[] {0, 30, 90});
        // Two targets each cover 1.5 source pixels: (0 + 0.5·30)/1.5 and (0.5·30 + 90)/1.5.
        float[] out = Resize.resize(src, 2, 1, Resize.Method.AREA);
        assertThat(out[0]).isCloseTo(10f, within(1e-4f));
        assertThat(out[1]).isCloseTo(70f, within(1e-4f));
    }
}
