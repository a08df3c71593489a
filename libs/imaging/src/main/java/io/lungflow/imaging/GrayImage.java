package io.lungflow.imaging;

import java.util.Arrays;

/** An 8-bit grayscale image, row-major: what every image becomes before a model sees it. */
public final class GrayImage {

    private final int width;
    private final int height;
    private final byte[] pixels;

    public GrayImage(int width, int height, byte[] pixels) {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("A " + width + "×" + height + " image needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The value at column {@code x}, row {@code y}, 0..255. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xff;
    }

    /** The pixels, row-major, unsigned bytes. Not a copy: do not modify. */
    public byte[] pixels() {
        return pixels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage other && width == other.width && height == other.height
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "×" + height + "]";
    }
}
