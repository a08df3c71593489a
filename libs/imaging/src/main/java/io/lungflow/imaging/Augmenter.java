package io.lungflow.imaging;

import java.util.Random;

/**
 * Random geometric augmentation for training: rotation, shift, zoom and horizontal flip, one
 * affine transform per image, sampled bilinearly, edges extended (nearest pixel) where the
 * transform reaches outside the image. Deterministic for a given {@link Random}.
 */
public final class Augmenter {

    private final double maxRotationDegrees;
    private final double maxShift;
    private final double maxZoom;
    private final boolean flip;

    /**
     * @param maxRotationDegrees rotation drawn from ±this
     * @param maxShift shift drawn from ±this fraction of each side
     * @param maxZoom scale drawn from 1 ± this
     * @param flip flip horizontally half of the time
     */
    public Augmenter(double maxRotationDegrees, double maxShift, double maxZoom, boolean flip) {
        this.maxRotationDegrees = maxRotationDegrees;
        this.maxShift = maxShift;
        this.maxZoom = maxZoom;
        this.flip = flip;
    }

    public static Augmenter none() {
        return new Augmenter(0, 0, 0, false);
    }

    public GrayImage apply(GrayImage image, Random random) {
        double angle = Math.toRadians(uniform(random, maxRotationDegrees));
        double zoom = 1 + uniform(random, maxZoom);
        double shiftX = uniform(random, maxShift) * image.width();
        double shiftY = uniform(random, maxShift) * image.height();
        boolean mirrored = flip && random.nextBoolean();
        return transform(image, angle, zoom, shiftX, shiftY, mirrored);
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
