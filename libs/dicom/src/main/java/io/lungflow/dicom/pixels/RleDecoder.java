package io.lungflow.dicom.pixels;

import io.lungflow.dicom.DicomException;

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment count and offsets, then one segment
 * per byte of each sample, most significant byte first, each a PackBits-style byte run stream.
 */
final class RleDecoder {

    private RleDecoder() {
    }

    /** Decodes one frame into little-endian native order: sample-interleaved bytes as in uncompressed pixel data. */
    static byte[] decode(byte[] frame, int rows, int columns, int samplesPerPixel, int bitsAllocated) throws DicomException {
        if (frame.length < 64) {
            throw new DicomException("RLE frame of " + frame.length + " bytes is shorter than its 64-byte header");
        }
        int bytesPerSample = bitsAllocated / 8;
        int segments = (int) uint32(frame, 0);
        int expected = samplesPerPixel * bytesPerSample;
        if (segments != expected) {
            throw new DicomException("RLE frame has " + segments + " segments; " + samplesPerPixel + " samples of " + bitsAllocated + " bits need " + expected);
        }
        int pixels = rows * columns;
        byte[] out = new byte[pixels * expected];
        for (int s = 0; s < segments; s++) {
            long start = uint32(frame, 4 + 4 * s);
            long end = s + 1 < segments ? uint32(frame, 8 + 4 * s) : frame.length;
            if (start < 64 || end > frame.length || start > end) {
                throw new DicomException("RLE segment " + (s + 1) + " has offsets " + start + ".." + end + " outside the frame of " + frame.length + " bytes");
            }
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments go most significant first; native is little endian
            int written = 0;
            int i = (int) start;
            while (written < pixels && i < end) {
                int n = frame[i++];
                if (n >= 0) {
                    for (int k = 0; k <= n && written < pixels; k++) {
                        if (i >= end) {
                            throw new DicomException("RLE segment " + (s + 1) + " ends inside a literal run");
                        }
                        out[(written++ * samplesPerPixel + sample) * bytesPerSample + byteInSample] = frame[i++];
                    }
                } else if (n != -128) {
                    if (i >= end) {
                        throw new DicomException("RLE segment " + (s + 1) + " ends before a repeated byte");
                    }
                    byte value = frame[i++];
                    for (int k = 0; k < 1 - n && written < pixels; k++) {
                        out[(written++ * samplesPerPixel + sample) * bytesPerSample + byteInSample] = value;
                    }
                }
            }
            if (written < pixels) {
                throw new DicomException("RLE segment " + (s + 1) + " decodes to " + written + " of " + pixels + " pixels");
            }
        }
        return out;
    }

    private static long uint32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
