package io.lungflow.imaging;

import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.PixelOptions;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
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

    /** Decodes {@code bytes} completely; a truncated image is refused, not padded. */
    public static GrayImage decode(byte[] bytes) throws UndecodableImageException {
        if (isDicom(bytes)) {
            try {
                DicomFile file = new DicomReader().read(new ByteArrayInputStream(bytes));
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
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new UndecodableImageException(reader.getFormatName() + " image is damaged: " + String.join("; ", warnings));
                }
                return Grayscale.of(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UndecodableImageException("the image does not decode: " + e.getMessage(), e);
        }
    }
}
