package io.lungflow.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns any decoded image into 8-bit grayscale, the same way whatever its colour mode: gray stays
 * gray (rescaled from its bit depth), colour becomes luma (ITU-R BT.601: 0.299 R + 0.587 G +
 * 0.114 B), and alpha is dropped, not composited. Samples are read from the raster, never through
 * a colour conversion, so a gray PNG and the same pixels as an RGB JPEG give the same values: a
 * model cannot learn the file's colour mode (in COVID-CT it tracks the label).
 */
public final class Grayscale {

    private Grayscale() {
    }

    public static GrayImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        byte[] out = new byte[width * height];
        if (model instanceof IndexColorModel palette) {
            int[] index = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, index);
                for (int x = 0; x < width; x++) {
                    int i = index[x];
                    out[y * width + x] = (byte) luma(palette.getRed(i), palette.getGreen(i), palette.getBlue(i));
                }
            }
            return new GrayImage(width, height, out);
        }
        int colourBands = model.getColorSpace().getNumComponents();
        int maxValue = (1 << model.getComponentSize(0)) - 1;
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY || colourBands == 1) {
            int[] gray = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, gray);
                for (int x = 0; x < width; x++) {
                    out[y * width + x] = (byte) rescale(gray[x], maxValue);
                }
            }
        } else if (model.getColorSpace().getType() == ColorSpace.TYPE_RGB && colourBands == 3) {
            int[] r = new int[width];
            int[] g = new int[width];
            int[] b = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, r);
                raster.getSamples(0, y, width, 1, 1, g);
                raster.getSamples(0, y, width, 1, 2, b);
                for (int x = 0; x < width; x++) {
                    out[y * width + x] = (byte) luma(rescale(r[x], maxValue), rescale(g[x], maxValue), rescale(b[x], maxValue));
                }
            }
        } else {
            // Other colour spaces (CMYK JPEGs, say): let Java2D convert to sRGB first.
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    out[y * width + x] = (byte) luma((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
                }
            }
        }
        return new GrayImage(width, height, out);
    }

    /** BT.601 luma of 8-bit RGB, rounded to the nearest integer. */
    public static int luma(int r, int g, int b) {
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }

    private static int rescale(int value, int maxValue) {
        return maxValue == 255 ? value : (int) ((value * 255L + maxValue / 2) / maxValue);
    }
}
