package io.lungflow.dicom.pixels;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomElement;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Turns a DICOM image into the model's grayscale (PS3.3 C.7.6.3 and C.11): picks the frame,
 * decodes native or encapsulated pixels (JPEG baseline through the JDK's ImageIO, grayscale JPEG
 * extended (8 and 12 bits) and lossless (process 14, all predictors) through {@link JpegDecoder},
 * JPEG 2000 through the jai-imageio plugin when present, RLE lossless), keeps the stored bits with
 * their sign, converts colour to luminance, applies the modality LUT (rescale slope and
 * intercept) and the VOI window, and inverts MONOCHROME1. What cannot be decoded is refused with
 * a reason that names the transfer syntax.
 */
public final class DicomPixels {

    private DicomPixels() {
    }

    public static DecodedImage decode(DicomFile file, PixelOptions options) throws DicomException {
        Attributes a = file.dataset();
        PixelHeader h = PixelHeader.of(a);
        int rows = h.rows();
        int columns = h.columns();
        int samples = h.samples();
        int bitsAllocated = h.bitsAllocated();
        int bitsStored = h.bitsStored();
        int highBit = h.highBit();
        boolean signed = h.signed();
        boolean planar = h.planar();
        String photometric = h.photometric();
        int frames = h.frames();
        int frame = options.frame() != null ? options.frame() : frames / 2;
        if (frame < 0 || frame >= frames) {
            throw new DicomException("Frame " + frame + " asked of an image of " + frames);
        }
        DicomElement pixelData = a.get(Tag.PIXEL_DATA).orElseThrow(() -> new DicomException("The instance has no Pixel Data (7FE0,0010)"));
        int pixels = rows * columns;
        float[] values;
        boolean colour = samples == 3;
        if (pixelData.isEncapsulated()) {
            byte[] compressed = frameBytes(pixelData.fragments(), frame, frames);
            TransferSyntax ts = file.transferSyntax();
            switch (ts) {
                case RLE_LOSSLESS -> values = samplesToGray(RleDecoder.decode(compressed, rows, columns, samples, bitsAllocated), 0, pixels, samples,
                        false, bitsAllocated, bitsStored, highBit, signed);
                case JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1 -> values = samples == 1 ? jpeg(compressed, rows, columns, signed, bitsStored)
                        : colourJpeg(compressed, rows, columns, ts, signed, bitsStored);
                case JPEG_BASELINE, JPEG_2000, JPEG_2000_LOSSLESS -> values = imageIo(compressed, rows, columns, ts, signed, bitsStored);
                default -> throw new DicomException("Pixel data in " + ts + " (" + ts.uid() + ") is not decoded; send it uncompressed, "
                        + "JPEG (baseline, extended or lossless), JPEG 2000 or RLE");
            }
            if (colour && ts != TransferSyntax.RLE_LOSSLESS) {
                colour = false; // ImageIO has already given luminance for colour JPEGs (see imageIo)
            }
        } else {
            byte[] bytes = pixelData.value();
            long frameBytes = (long) pixels * samples * (bitsAllocated / 8);
            long offset = frameBytes * frame;
            if (bytes == null || bytes.length < offset + frameBytes) {
                throw new DicomException("Pixel Data holds " + (bytes == null ? 0 : bytes.length) + " bytes; frame " + frame + " of " + frames
                        + " at " + rows + "×" + columns + "×" + samples + "×" + bitsAllocated + " bits needs " + (offset + frameBytes));
            }
            values = samplesToGray(bytes, (int) offset, pixels, samples, planar, bitsAllocated, bitsStored, highBit, signed);
        }
        if (!colour) {
            double slope = a.getDecimal(Tag.RESCALE_SLOPE, 1.0);
            double intercept = a.getDecimal(Tag.RESCALE_INTERCEPT, 0.0);
            if (slope != 1.0 || intercept != 0.0) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (values[i] * slope + intercept);
                }
            }
        }
        double center;
        double width;
        String modality = a.getString(Tag.MODALITY);
        List<Double> fileCenters = a.getDecimals(Tag.WINDOW_CENTER);
        List<Double> fileWidths = a.getDecimals(Tag.WINDOW_WIDTH);
        if ("CT".equals(modality)) {
            center = options.lungWindowCenter();
            width = options.lungWindowWidth();
        } else if (!fileCenters.isEmpty() && !fileWidths.isEmpty() && fileWidths.get(0) >= 1) {
            center = fileCenters.get(0);
            width = fileWidths.get(0);
        } else {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            width = Math.max(1, max - min + 1);
            center = min + width / 2;
        }
        boolean invert = "MONOCHROME1".equals(photometric);
        byte[] out = new byte[pixels];
        for (int i = 0; i < pixels; i++) {
            int v = window(values[i], center, width);
            out[i] = (byte) (invert ? 255 - v : v);
        }
        return new DecodedImage(rows, columns, frame, frames, values, center, width, gray(out, columns, rows));
    }

    /** An 8-bit gray image over {@code out} itself, not a copy of it. */
    private static BufferedImage gray(byte[] out, int columns, int rows) {
        ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8}, false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(out, out.length), columns, rows, columns, 1, new int[] {0}, null);
        return new BufferedImage(model, raster, false, null);
    }

    /** The linear VOI function of PS3.3 C.11.2.1.2.1, to 0..255. */
    static int window(double x, double center, double width) {
        double low = center - 0.5 - (width - 1) / 2;
        double high = center - 0.5 + (width - 1) / 2;
        if (x <= low) {
            return 0;
        }
        if (x > high) {
            return 255;
        }
        double y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
        return (int) Math.round(Math.max(0, Math.min(255, y)));
    }

    private static float[] samplesToGray(byte[] bytes, int offset, int pixels, int samples, boolean planar, int bitsAllocated, int bitsStored,
            int highBit, boolean signed) {
        int bytesPerSample = bitsAllocated / 8;
        int shift = highBit + 1 - bitsStored;
        long mask = bitsStored == 32 ? 0xFFFFFFFFL : (1L << bitsStored) - 1;
        float[] out = new float[pixels];
        double[] sample = new double[samples];
        for (int p = 0; p < pixels; p++) {
            for (int s = 0; s < samples; s++) {
                int index = planar ? s * pixels + p : p * samples + s;
                int at = offset + index * bytesPerSample;
                long raw = 0;
                for (int b = bytesPerSample - 1; b >= 0; b--) {
                    raw = raw << 8 | (bytes[at + b] & 0xFF);
                }
                long stored = (raw >>> shift) & mask;
                if (signed && (stored & (1L << (bitsStored - 1))) != 0) {
                    stored -= 1L << bitsStored;
                }
                sample[s] = stored;
            }
            out[p] = (float) (samples == 1 ? sample[0] : 0.299 * sample[0] + 0.587 * sample[1] + 0.114 * sample[2]);
        }
        return out;
    }

    /** The bytes of one frame: every fragment after the offset table for a single frame; one fragment per frame otherwise. */
    private static byte[] frameBytes(List<byte[]> fragments, int frame, int frames) throws DicomException {
        if (fragments.size() < 2) {
            throw new DicomException("Encapsulated Pixel Data has no fragments after its offset table");
        }
        if (frames == 1) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i < fragments.size(); i++) {
                all.writeBytes(fragments.get(i));
            }
            return all.toByteArray();
        }
        if (fragments.size() - 1 == frames) {
            return fragments.get(frame + 1);
        }
        byte[] table = fragments.get(0);
        if (table.length == 4 * frames) {
            long start = uint32(table, 4 * frame);
            long end = frame + 1 < frames ? uint32(table, 4 * (frame + 1)) : Long.MAX_VALUE;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long position = 0;
            for (int i = 1; i < fragments.size(); i++) {
                if (position >= start && position < end) {
                    out.writeBytes(fragments.get(i));
                }
                position += fragments.get(i).length + 8L;
            }
            return out.toByteArray();
        }
        throw new DicomException(frames + " frames in " + (fragments.size() - 1) + " fragments with no offset table: the frames cannot be told apart");
    }

    /** Grayscale JPEG of the processes the JDK lacks (12-bit extended, lossless), by lungflow's own decoder. */
    private static float[] jpeg(byte[] compressed, int rows, int columns, boolean signed, int bitsStored) throws DicomException {
        JpegDecoder.Image image = JpegDecoder.decode(compressed, columns, rows);
        float[] out = new float[rows * columns];
        int[] samples = image.samples();
        for (int i = 0; i < out.length; i++) {
            double v = samples[i];
            if (signed && bitsStored < 32 && v >= (1L << (bitsStored - 1))) {
                v -= 1L << bitsStored;
            }
            out[i] = (float) v;
        }
        return out;
    }

    /** Colour in the extended process is 8-bit, which the JDK decodes; colour lossless JPEG is not decoded. */
    private static float[] colourJpeg(byte[] compressed, int rows, int columns, TransferSyntax ts, boolean signed, int bitsStored)
            throws DicomException {
        if (ts != TransferSyntax.JPEG_EXTENDED) {
            throw new DicomException("Colour pixel data in " + ts + " (" + ts.uid() + ") is not decoded; send it uncompressed or as JPEG baseline");
        }
        return imageIo(compressed, rows, columns, ts, signed, bitsStored);
    }

    private static float[] imageIo(byte[] compressed, int rows, int columns, TransferSyntax ts, boolean signed, int bitsStored)
            throws DicomException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(compressed));
        } catch (IOException | RuntimeException e) {
            throw new DicomException("The " + ts + " pixel data does not decode: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DicomException("No decoder for " + ts + " (" + ts.uid() + ") is installed, or the data is not " + ts);
        }
        if (image.getWidth() != columns || image.getHeight() != rows) {
            throw new DicomException("The " + ts + " stream is " + image.getWidth() + "×" + image.getHeight() + ", the header says " + columns + "×" + rows);
        }
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        float[] out = new float[rows * columns];
        int[] pixel = new int[bands];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                raster.getPixel(x, y, pixel);
                double v = bands >= 3 ? 0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2] : pixel[0];
                if (signed && bands == 1 && v >= (1L << (bitsStored - 1))) {
                    v -= 1L << bitsStored;
                }
                out[y * columns + x] = (float) v;
            }
        }
        return out;
    }

    private static long uint32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
