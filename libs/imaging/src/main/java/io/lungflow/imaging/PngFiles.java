package io.lungflow.imaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PNG files written chunk by chunk (PNG specification, §5 and §11), for images ImageIO cannot
 * write without holding their raster: the hostile ones tests and the load benchmark send.
 */
public final class PngFiles {

    /** RGBA (colour type 6). */
    public static final int RGBA = 6;
    /** Grayscale (colour type 0). */
    public static final int GRAY = 0;

    private PngFiles() {
    }

    /** A signature and an 8-bit grayscale header claiming {@code width}×{@code height}, and no pixel data. */
    public static byte[] headerClaiming(int width, int height) {
        ByteArrayOutputStream out = start(width, height, 8, GRAY);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * A complete, valid PNG of {@code width}×{@code height} pixels, all zero, at {@code bitDepth}
     * in {@code colourType} ({@link #RGBA}: four samples a pixel, {@link #GRAY}: one), deflated row
     * by row: its raster may be hundreds of megabytes while the file is a few hundred kilobytes.
     */
    public static byte[] zeros(int width, int height, int bitDepth, int colourType) {
        int channels = colourType == RGBA ? 4 : 1;
        ByteArrayOutputStream out = start(width, height, bitDepth, colourType);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            byte[] row = new byte[1 + width * channels * bitDepth / 8]; // filter type 0, then the samples
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static ByteArrayOutputStream start(int width, int height, int bitDepth, int colourType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        return out;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
