package io.lungflow.ingest;

import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.DicomPixels;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.dicom.pixels.ImageTooLargeException;
import io.lungflow.dicom.pixels.PixelHeader;
import io.lungflow.dicom.pixels.PixelOptions;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.time.Duration;
import javax.imageio.ImageTypeSpecifier;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;

import io.lungflow.platform.problem.ProblemException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Proves that a body is the image it claims to be before anything is stored: the format's
 * signature, dimensions and decoding memory within the {@link ImageLimits} inference and results
 * share (read from the header, before any pixel is decoded or, for DICOM, read), and a complete
 * decode of the pixel data (PNG and JPEG subsampled, so memory stays small whatever the size;
 * DICOM within the service's {@link DecodeBudget}). A truncated JPEG, which ImageIO only warns
 * about, is refused too.
 */
public final class ImageInspector {

    /** Subsample the verifying decode so that its output has at most this many pixels a side. */
    private static final int VERIFY_EDGE = 512;

    private final int minDimension;
    private final ImageLimits limits;
    private final DecodeBudget budget;
    private final Duration budgetWait;
    private final Duration retryAfter;
    private final long maxUploadBytes;

    public ImageInspector(int minDimension, ImageLimits limits, DecodeBudget budget, Duration budgetWait, Duration retryAfter,
            long maxUploadBytes) {
        this.minDimension = minDimension;
        this.limits = limits;
        this.budget = budget;
        this.budgetWait = budgetWait;
        this.retryAfter = retryAfter;
        this.maxUploadBytes = maxUploadBytes;
        ImageIO.setUseCache(false);
    }

    /**
     * What was checked; {@code dicom} is the parsed file when the body is DICOM, and its pixels'
     * share of the decode budget is held until this is closed (once the scan is stored).
     */
    public record Inspected(ImageFormat format, int width, int height, DicomFile dicom, DecodeBudget.Lease lease) implements AutoCloseable {

        @Override
        public void close() {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /**
     * Checks {@code file} as an image of {@code declared} format, or, when nothing was declared,
     * of the format its signature shows.
     */
    public Inspected inspect(Path file, byte[] head, ImageFormat declared) {
        ImageFormat actual = ImageFormat.sniff(head).orElse(null);
        if (declared == null && actual == null) {
            throw ProblemException.unsupportedMediaType("The body is neither a PNG, a JPEG nor a DICOM Part 10 file "
                    + "(its first bytes match no accepted format).");
        }
        ImageFormat format = declared == null ? actual : declared;
        if (actual != format) {
            String what = actual == null ? "does not start with the " + format.displayName() + " signature"
                    : "is a " + actual.displayName() + " image";
            throw ProblemException.badRequest("content-mismatch",
                    "The body was declared " + format.mediaType() + " but " + what + ".");
        }
        if (format == ImageFormat.DICOM) {
            return inspectDicom(file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(format);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkDimensions(width, height);
                checkLimits(width, height, 0); // the sides and pixel count, before the reader is asked anything more
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    type = reader.getImageTypes(0).next();
                }
                SampleModel samples = type.getSampleModel(1, 1);
                checkLimits(width, height, ImageLimits.rasterDecodeBytes(width, height, samples.getNumBands(),
                        DataBuffer.getDataTypeSize(samples.getDataType())));
                verifyPixels(reader, format, width, height);
                return new Inspected(format, width, height, null, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException problem) {
                throw problem;
            }
            throw undecodable(format, e.getMessage());
        }
    }

    /**
     * What a DICOM upload may make the reader hold: a deflated data set inflates,
     * so four times the upload limit, and never more; a stored element is never larger than that.
     */
    public static DicomReader.Limits dicomLimits(long uploadLimit) {
        long inflated = Math.max(1 << 20, 4 * uploadLimit);
        return new DicomReader.Limits(inflated, inflated, 16);
    }

    /**
     * Parses the file (bounded, see {@link #dicomLimits}) and decodes its pixels, as inference will.
     * The Image Pixel module is checked against the limits before the Pixel Data is read, and the
     * pixels are read only once the decode budget has room for them.
     */
    private Inspected inspectDicom(Path file) {
        DecodeBudget.Lease[] lease = new DecodeBudget.Lease[1];
        try {
            DicomFile dicom;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                dicom = new DicomReader(dicomLimits(maxUploadBytes)).read(in, (dataset, ts) -> {
                    PixelHeader header = PixelHeader.of(dataset);
                    checkDimensions(header.columns(), header.rows());
                    long needs = ImageLimits.dicomDecodeBytes(header, ts);
                    checkLimits(header.columns(), header.rows(), needs);
                    lease[0] = takeBudget(needs);
                });
            } catch (DicomException e) {
                throw ProblemException.badRequest("undecodable", "The body is not a readable DICOM file: " + e.getMessage());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int width = dicom.dataset().getUnsignedShort(Tag.COLUMNS, 0);
            int height = dicom.dataset().getUnsignedShort(Tag.ROWS, 0);
            if (!dicom.dataset().contains(Tag.PIXEL_DATA)) {
                throw ProblemException.badRequest("no-pixel-data", "The DICOM instance has no Pixel Data (7FE0,0010): it is not an image.");
            }
            try {
                DicomPixels.decode(dicom, PixelOptions.defaults());
            } catch (DicomException e) {
                if (e.getMessage().contains("not decoded") || e.getMessage().contains("No decoder")) {
                    throw ProblemException.unsupportedMediaType("The DICOM pixel data cannot be decoded here: " + e.getMessage());
                }
                throw ProblemException.badRequest("undecodable", "The DICOM pixel data does not decode: " + e.getMessage());
            }
            return new Inspected(ImageFormat.DICOM, width, height, dicom, lease[0]);
        } catch (RuntimeException e) {
            if (lease[0] != null) {
                lease[0].close();
            }
            throw e;
        }
    }

    private void checkDimensions(int width, int height) {
        if (width < minDimension || height < minDimension) {
            throw ProblemException.badRequest("bad-dimensions", "The image is " + width + "×" + height
                    + " pixels; both sides must be at least " + minDimension + ".");
        }
    }

    /** Refuses (413, which a PACS must not send again) what inference and results could not decode within the shared limits. */
    private void checkLimits(int width, int height, long decodeBytes) {
        try {
            limits.check(width, height, decodeBytes);
        } catch (ImageTooLargeException e) {
            throw ProblemException.tooLarge("image-too-large", e.getMessage());
        }
    }

    private DecodeBudget.Lease takeBudget(long bytes) {
        try {
            return budget.take(bytes, budgetWait);
        } catch (DecodeBudget.BudgetBusyException e) {
            throw ProblemException.unavailable("decoder-busy", e.getMessage() + "; the image was not accepted. Retry later.", retryAfter, e);
        }
    }

    private static void verifyPixels(ImageReader reader, ImageFormat format, int width, int height) throws IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, (Math.max(width, height) + VERIFY_EDGE - 1) / VERIFY_EDGE);
        param.setSourceSubsampling(step, step, 0, 0);
        reader.read(0, param);
        if (!warnings.isEmpty()) {
            throw undecodable(format, String.join("; ", warnings));
        }
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.displayName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("No ImageIO reader for " + format);
        }
        return readers.next();
    }

    private static ProblemException undecodable(ImageFormat format, String why) {
        String reason = why == null || why.isBlank() ? "" : ": " + why;
        return ProblemException.badRequest("undecodable", "The body does not decode as a " + format.displayName() + " image" + reason + ".");
    }
}
