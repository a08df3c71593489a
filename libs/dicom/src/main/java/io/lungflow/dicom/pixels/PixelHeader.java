package io.lungflow.dicom.pixels;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;

/**
 * The Image Pixel module of an instance (PS3.3 C.7.6.3), checked for what {@link DicomPixels}
 * decodes, and what decoding it will cost in memory, known before the Pixel Data is read.
 */
public record PixelHeader(int rows, int columns, int samples, int bitsAllocated, int bitsStored, int highBit, boolean signed, boolean planar,
        String photometric, int frames) {

    /** Reads and checks the module from {@code a}; needs nothing after group 0028, so it can run before (7FE0,0010) is read. */
    public static PixelHeader of(Attributes a) throws DicomException {
        int rows = a.getUnsignedShort(Tag.ROWS, 0);
        int columns = a.getUnsignedShort(Tag.COLUMNS, 0);
        int samples = a.getUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1);
        int bitsAllocated = a.getUnsignedShort(Tag.BITS_ALLOCATED, 0);
        int bitsStored = a.getUnsignedShort(Tag.BITS_STORED, bitsAllocated);
        int highBit = a.getUnsignedShort(Tag.HIGH_BIT, bitsStored - 1);
        boolean signed = a.getUnsignedShort(Tag.PIXEL_REPRESENTATION, 0) == 1;
        boolean planar = a.getUnsignedShort(Tag.PLANAR_CONFIGURATION, 0) == 1;
        int frames = Math.max(1, a.getInteger(Tag.NUMBER_OF_FRAMES, 1));
        if (rows == 0 || columns == 0) {
            throw new DicomException("The image has no Rows (0028,0010) or Columns (0028,0011)");
        }
        if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new DicomException("Bits Allocated " + bitsAllocated + " is not decoded (8, 16 and 32 are)");
        }
        if (samples != 1 && samples != 3) {
            throw new DicomException("Samples per Pixel " + samples + " is not decoded (1 and 3 are)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit >= bitsAllocated || highBit < bitsStored - 1) {
            throw new DicomException("Bits Stored " + bitsStored + " / High Bit " + highBit + " do not fit Bits Allocated " + bitsAllocated);
        }
        return new PixelHeader(rows, columns, samples, bitsAllocated, bitsStored, highBit, signed, planar,
                a.getString(Tag.PHOTOMETRIC_INTERPRETATION), frames);
    }

    public long pixels() {
        return (long) rows * columns;
    }

    /** The bytes of every frame, uncompressed: what native Pixel Data holds, and at most what encapsulated Pixel Data should. */
    public long nativeBytes() {
        return pixels() * samples * (bitsAllocated / 8) * frames;
    }

    /**
     * What reading and decoding one frame in {@code ts} holds at its peak, in bytes: the Pixel Data
     * as read, for encapsulated syntaxes the frame's compressed bytes and the decoder's output (at
     * most four bytes a sample: the lossless JPEG decoder keeps an int each), the modality values
     * (a float each) and the 8-bit result.
     */
    public long decodeBytes(TransferSyntax ts) {
        long held = nativeBytes();
        long decoder = ts.encapsulated() ? held + pixels() * Math.max(4, samples * (bitsAllocated / 8)) : 0;
        return held + decoder + pixels() * (Float.BYTES + 1);
    }
}
