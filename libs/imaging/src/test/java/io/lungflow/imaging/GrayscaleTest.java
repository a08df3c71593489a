package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Every colour mode becomes the same 8-bit gray: the file's mode (which tracks the label in
 * COVID-CT) leaves no trace in what a model sees.
 */
class GrayscaleTest {

    private static final int[][] GRAYS = {{0, 64, 128}, {191, 200, 255}};

    @Test
    void colourBecomesBt601Luma() throws Exception {
        BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
        // 0.299·200 + 0.587·100 + 0.114·50 = 124.2
        assertThat(ImageDecoding.decode(png(rgb)).get(0, 0)).isEqualTo(124);
    }

    @Test
    void grayRgbRgbaAndPaletteFilesOfTheSamePixelsDecodeAlike() throws Exception {
        GrayImage expected = new GrayImage(3, 2, bytes(GRAYS));
        assertThat(ImageDecoding.decode(png(filled(BufferedImage.TYPE_BYTE_GRAY)))).isEqualTo(expected);
        assertThat(ImageDecoding.decode(png(filled(BufferedImage.TYPE_INT_RGB)))).isEqualTo(expected);
        assertThat(ImageDecoding.decode(png(filled(BufferedImage.TYPE_INT_ARGB)))).isEqualTo(expected);
        assertThat(ImageDecoding.decode(png(palette()))).isEqualTo(expected);
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, (0x10 << 24) | (90 << 16) | (90 << 8) | 90);
        assertThat(ImageDecoding.decode(png(argb)).get(0, 0)).isEqualTo(90);
    }

    @Test
    void sixteenBitGrayIsRescaled() throws Exception {
        BufferedImage gray16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = gray16.getRaster();
        raster.setSample(0, 0, 0, 65535);
        raster.setSample(1, 0, 0, 32768);
        raster.setSample(2, 0, 0, 257);
        GrayImage image = ImageDecoding.decode(png(gray16));
        // v · 255 / 65535, rounded: 255, 127.5 → 128, 1
        assertThat(new int[] {image.get(0, 0), image.get(1, 0), image.get(2, 0)}).containsExactly(255, 128, 1);
    }

    @Test
    void aTruncatedImageIsRefused() throws Exception {
        byte[] whole = jpeg(filled(BufferedImage.TYPE_INT_RGB), 64);
        assertThatThrownBy(() -> ImageDecoding.decode(Arrays.copyOf(whole, whole.length / 2)))
                .isInstanceOf(UndecodableImageException.class);
        assertThatThrownBy(() -> ImageDecoding.decode("not an image".getBytes()))
                .isInstanceOf(UndecodableImageException.class).hasMessageContaining("not a PNG or JPEG");
    }

    private static BufferedImage filled(int type) {
        BufferedImage image = new BufferedImage(3, 2, type);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int v = GRAYS[y][x];
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    image.getRaster().setSample(x, y, 0, v);
                } else {
                    image.setRGB(x, y, (0xff << 24) | (v << 16) | (v << 8) | v);
                }
            }
        }
        return image;
    }

    private static BufferedImage palette() {
        byte[] levels = new byte[256];
        for (int i = 0; i < 256; i++) {
            levels[i] = (byte) (255 - i);
        }
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, levels, levels, levels));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                image.getRaster().setSample(x, y, 0, 255 - GRAYS[y][x]);
            }
        }
        return image;
    }

    private static byte[] bytes(int[][] rows) {
        byte[] out = new byte[rows.length * rows[0].length];
        int i = 0;
        for (int[] row : rows) {
            for (int v : row) {
                out[i++] = (byte) v;
            }
        }
        return out;
    }

    static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage small, int size) throws Exception {
        BufferedImage big = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        big.getGraphics().drawImage(small, 0, 0, size, size, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(big, "jpeg", out);
        return out.toByteArray();
    }
}
