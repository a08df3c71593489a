package io.lungflow.imaging;

import java.util.Random;

/**
 * Random augmentation for training: rotation, shift, zoom and horizontal flip as one affine
 * transform per image, sampled bilinearly, edges extended (nearest pixel) where the transform
 * reaches outside the image; then, optionally, contrast, brightness and gamma jitter. Deterministic
 * for a given {@link Random}.
 */
public final class Augmenter {

    private final double maxRotationDegrees;
    private final double maxShift;
    private final double maxZoom;
    private final boolean flip;
    private final double maxIntensity;

    /**
     * @param maxRotationDegrees rotation drawn from ±this
     * @param maxShift shift drawn from ±this fraction of each side
     * @param maxZoom scale drawn from 1 ± this
     * @param flip flip horizontally half of the time
     * @param maxIntensity contrast and gamma drawn from 1 ± this, brightness from ±this × 64 grey levels
     */
    public Augmenter(double maxRotationDegrees, double maxShift, double maxZoom, boolean flip, double maxIntensity) {
        this.maxRotationDegrees = maxRotationDegrees;
        this.maxShift = maxShift;
        this.maxZoom = maxZoom;
        this.flip = flip;
        this.maxIntensity = maxIntensity;
    }

    public Augmenter(double maxRotationDegrees, double maxShift, double maxZoom, boolean flip) {
        this(maxRotationDegrees, maxShift, maxZoom, flip, 0);
    }

    public static Augmenter none() {
        return new Augmenter(0, 0, 0, false, 0);
    }

    public GrayImage apply(GrayImage image, Random random) {
        double angle = Math.toRadians(uniform(random, maxRotationDegrees));
        double zoom = 1 + uniform(random, maxZoom);
        double shiftX = uniform(random, maxShift) * image.width();
        double shiftY = uniform(random, maxShift) * image.height();
        boolean mirrored = flip && random.nextBoolean();
        GrayImage moved = transform(image, angle, zoom, shiftX, shiftY, mirrored);
        if (maxIntensity == 0) {
            return moved;
        }
        double contrast = 1 + uniform(random, maxIntensity);
        double brightness = uniform(random, maxIntensity) * 64;
        double gamma = 1 + uniform(random, maxIntensity);
        return intensity(moved, contrast, brightness, gamma);
    }

    /** {@code 255 · ((contrast · (v − 128) + 128 + brightness) / 255)^gamma}, clamped to 0..255. */
    public static GrayImage intensity(GrayImage image, double contrast, double brightness, double gamma) {
        byte[] lut = new byte[256];
        for (int v = 0; v < 256; v++) {
            double x = Math.max(0, Math.min(255, contrast * (v - 128) + 128 + brightness)) / 255.0;
            lut[v] = (byte) Math.round(255 * Math.pow(x, gamma));
        }
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = lut[in[i] & 0xff];
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /** The image rotated by {@code angle} about its centre, scaled by {@code zoom}, shifted, and mirrored. */
    public static GrayImage transform(GrayImage image, double angle, double zoom, double shiftX, double shiftY, boolean mirrored) {
        int w = image.width();
        int h = image.height();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double cos = Math.cos(angle) / zoom;
        double sin = Math.sin(angle) / zoom;
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Map each output pixel back into the source (inverse transform).
                double dx = (mirrored ? (w - 1 - x) : x) - cx - shiftX;
                double dy = y - cy - shiftY;
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                out[y * w + x] = (byte) Math.round(sample(image, sx, sy));
            }
        }
        return new GrayImage(w, h, out);
    }

    private static double sample(GrayImage image, double x, double y) {
        double cx = Math.max(0, Math.min(image.width() - 1, x));
        double cy = Math.max(0, Math.min(image.height() - 1, y));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(x0 + 1, image.width() - 1);
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = image.get(x0, y0) * (1 - fx) + image.get(x1, y0) * fx;
        double bottom = image.get(x0, y1) * (1 - fx) + image.get(x1, y1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double uniform(Random random, double bound) {
        return bound == 0 ? 0 : (random.nextDouble() * 2 - 1) * bound;
    }
}
