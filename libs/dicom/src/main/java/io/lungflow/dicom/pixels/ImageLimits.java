package io.lungflow.dicom.pixels;

import io.lungflow.dicom.TransferSyntax;

/**
 * What lungflow decodes at all, decided in one place so that what ingest accepts, inference and
 * results can always decode and show: a size a side, a pixel count, and the memory one image's
 * decoding may hold. Each service applies the same limits (the {@code lungflow.images.*}
 * settings) before it decodes, and refuses what is beyond them with {@link ImageTooLargeException}.
 */
public record ImageLimits(int maxSide, long maxPixels, long maxDecodeBytes) {

    public static final int DEFAULT_MAX_SIDE = 16384;
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    public static final long DEFAULT_MAX_DECODE_BYTES = 192L << 20;

    /** Chest CT slices (512²) and the largest X-ray detectors (about 4300²) fit; a 16-bit 6000² frame does not. */
    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_SIDE, DEFAULT_MAX_PIXELS, DEFAULT_MAX_DECODE_BYTES);

    public ImageLimits {
        if (maxSide < 1 || maxPixels < 1 || maxDecodeBytes < 1) {
            throw new IllegalArgumentException("image limits must be positive: " + maxSide + ", " + maxPixels + ", " + maxDecodeBytes);
        }
    }

    /** What decoding a DICOM frame holds ({@link PixelHeader#decodeBytes}) and the copy the caller makes of the 8-bit result. */
    public static long dicomDecodeBytes(PixelHeader header, TransferSyntax ts) {
        return header.decodeBytes(ts) + header.pixels();
    }

    /** What decoding a PNG or JPEG holds: ImageIO's raster at the file's own depth, then the 8-bit gray and the caller's copy. */
    public static long rasterDecodeBytes(int width, int height, int bands, int bitsPerSample) {
        long pixels = (long) width * height;
        return pixels * bands * ((bitsPerSample + 7) / 8) + 2 * pixels;
    }

    /** Refuses an image of {@code width}×{@code height} whose decoding needs {@code decodeBytes}, saying which limit it passes. */
    public void check(int width, int height, long decodeBytes) {
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new ImageTooLargeException("The image is " + width + "×" + height + " pixels; the limit is " + maxSide
                    + " a side and " + maxPixels + " pixels in all (lungflow.images.max-side, lungflow.images.max-pixels).");
        }
        if (decodeBytes > maxDecodeBytes) {
            throw new ImageTooLargeException("The image is " + width + "×" + height + " pixels and decoding it needs " + mebibytes(decodeBytes)
                    + " MiB; an image may need at most " + mebibytes(maxDecodeBytes) + " MiB (lungflow.images.max-decode-memory).");
        }
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
