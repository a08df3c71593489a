package io.lungflow.imaging;

import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.dicom.pixels.ImageTooLargeException;
import io.lungflow.dicom.pixels.PixelHeader;
import io.lungflow.dicom.pixels.PixelOptions;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG (whatever ImageIO reads), and DICOM Part 10 (through libs/dicom: modality
 * LUT, lung window for CT, MONOCHROME1 inverted), into 8-bit grayscale.
 */
public final class ImageDecoding {

    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoding() {
    }

    /** Whether {@code bytes} are a DICOM Part 10 file ("DICM" after the 128-byte preamble). */
    public static boolean isDicom(byte[] bytes) {
        return bytes.length > 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M';
    }

    /** Decodes {@code bytes} completely within the default {@link ImageLimits}; a truncated image is refused, not padded. */
    public static GrayImage decode(byte[] bytes) throws UndecodableImageException {
        return decode(bytes, ImageLimits.DEFAULTS, null);
    }

    /**
     * Decodes {@code bytes} completely; a truncated image is refused, not padded. The image is
     * checked against {@code limits} from its header (for DICOM, before the Pixel Data is read),
     * and, when {@code budget} is given, decodes only once the budget has room for what it needs
     * (waiting as long as that takes: the budget's other holders are this service's own decodes).
     */
    public static GrayImage decode(byte[] bytes, ImageLimits limits, DecodeBudget budget) throws UndecodableImageException {
        DecodeBudget.Lease[] lease = new DecodeBudget.Lease[1];
        try {
            return decodeWithin(bytes, limits, budget, lease);
        } catch (ImageTooLargeException e) {
            throw new UndecodableImageException("the image is beyond the limits of what lungflow decodes: " + e.getMessage(), e);
        } finally {
            if (lease[0] != null) {
                lease[0].close();
            }
        }
    }

    private static GrayImage decodeWithin(byte[] bytes, ImageLimits limits, DecodeBudget budget, DecodeBudget.Lease[] lease)
            throws UndecodableImageException {
        if (isDicom(bytes)) {
            try {
                DicomFile file = new DicomReader().read(new ByteArrayInputStream(bytes), (dataset, ts) -> {
                    PixelHeader header = PixelHeader.of(dataset);
                    long needs = ImageLimits.dicomDecodeBytes(header, ts);
                    limits.check(header.columns(), header.rows(), needs);
                    lease[0] = budget == null ? null : budget.take(needs);
                });
                return Grayscale.of(DicomPixels.decode(file, PixelOptions.defaults()).gray());
            } catch (DicomException e) {
                throw new UndecodableImageException("the DICOM image does not decode: " + e.getMessage(), e);
            }
        }
        // The bytes are in memory already: ImageIO.createImageInputStream would cache them again in a
        // temporary file for every image (its default), which costs more than the decoding.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UndecodableImageException("not a PNG or JPEG image: its bytes match no format this service reads");
            }
            ImageReader reader = readers.next();
            try {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                limits.check(width, height, 0);
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    type = reader.getImageTypes(0).next();
                }
                SampleModel samples = type.getSampleModel(1, 1);
                long needs = ImageLimits.rasterDecodeBytes(width, height, samples.getNumBands(), DataBuffer.getDataTypeSize(samples.getDataType()));
                limits.check(width, height, needs);
                lease[0] = budget == null ? null : budget.take(needs);
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new UndecodableImageException(reader.getFormatName() + " image is damaged: " + String.join("; ", warnings));
                }
                return Grayscale.of(image);
            } finally {
                reader.dispose();
            }
        } catch (ImageTooLargeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UndecodableImageException("the image does not decode: " + e.getMessage(), e);
        }
    }
}
