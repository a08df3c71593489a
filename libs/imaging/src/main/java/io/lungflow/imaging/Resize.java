package io.lungflow.imaging;

import java.util.Locale;

/**
 * Resizing to a model's input size, to floating-point values (no rounding back to bytes).
 * {@link Method#BILINEAR} samples with half-pixel centres, as TensorFlow's
 * {@code ResizeBilinear(half_pixel_centers=true)}; {@link Method#AREA} averages every source pixel
 * a target pixel covers, weighted by the covered area, which does not alias when shrinking.
 */
public final class Resize {

    public enum Method {
        BILINEAR,
        AREA;

        public static Method of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private Resize() {
    }

    /** The image resized to {@code width}×{@code height}, row-major, values 0..255. */
    public static float[] resize(GrayImage image, int width, int height, Method method) {
        return method == Method.AREA ? area(image, width, height) : bilinear(image, width, height);
    }

    static float[] bilinear(GrayImage image, int width, int height) {
        int srcW = image.width();
        int srcH = image.height();
        float[] out = new float[width * height];
        double scaleX = (double) srcW / width;
        double scaleY = (double) srcH / height;
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        for (int x = 0; x < width; x++) {
            double sx = clamp((x + 0.5) * scaleX - 0.5, srcW - 1);
            x0[x] = (int) Math.floor(sx);
            x1[x] = Math.min(x0[x] + 1, srcW - 1);
            fx[x] = (float) (sx - x0[x]);
        }
        for (int y = 0; y < height; y++) {
            double sy = clamp((y + 0.5) * scaleY - 0.5, srcH - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, srcH - 1);
            float fy = (float) (sy - y0);
            for (int x = 0; x < width; x++) {
                float top = lerp(image.get(x0[x], y0), image.get(x1[x], y0), fx[x]);
                float bottom = lerp(image.get(x0[x], y1), image.get(x1[x], y1), fx[x]);
                out[y * width + x] = lerp(top, bottom, fy);
            }
        }
        return out;
    }

    static float[] area(GrayImage image, int width, int height) {
        int srcW = image.width();
        int srcH = image.height();
        double scaleX = (double) srcW / width;
        double scaleY = (double) srcH / height;
        // First average along rows into a (width × srcH) buffer, then along columns.
        double[] rows = new double[width * srcH];
        for (int x = 0; x < width; x++) {
            double start = x * scaleX;
            double end = start + scaleX;
            for (int sx = (int) Math.floor(start); sx < Math.min(srcW, Math.ceil(end)); sx++) {
                double weight = Math.min(end, sx + 1) - Math.max(start, sx);
                if (weight <= 0) {
                    continue;
                }
                for (int sy = 0; sy < srcH; sy++) {
                    rows[sy * width + x] += weight * image.get(sx, sy);
                }
            }
        }
        float[] out = new float[width * height];
        double norm = scaleX * scaleY;
        for (int y = 0; y < height; y++) {
            double start = y * scaleY;
            double end = start + scaleY;
            for (int sy = (int) Math.floor(start); sy < Math.min(srcH, Math.ceil(end)); sy++) {
                double weight = Math.min(end, sy + 1) - Math.max(start, sy);
                if (weight <= 0) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    out[y * width + x] += (float) (weight * rows[sy * width + x]);
                }
            }
            for (int x = 0; x < width; x++) {
                out[y * width + x] = (float) (out[y * width + x] / norm);
            }
        }
        return out;
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
