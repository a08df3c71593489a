package io.lungflow.dicom.pixels;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomElement;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of what reads hostile bytes: the DICOM reader with the pixel
 * decoders behind it, and the JPEG and RLE decoders on their own. Whatever the bytes, the only
 * outcomes allowed are a decoded image, a {@link DicomException} or an {@link ImageTooLargeException}:
 * any other exception, an error, or a hang is a finding, which becomes a regression test here.
 *
 * <p>{@code mvn verify} fuzzes each target for 20 s from the seed corpus written below (the
 * {@code fuzz-*} executions in libs/dicom/pom.xml); plain {@code mvn test} runs each target on
 * its kept inputs only. {@code ./lungflow fuzz dicom|jpeg|rle --minutes N} fuzzes one for longer
 * (README, "Fuzzing").
 */
class DicomFuzzTest {

    private static final DicomReader.Limits LIMITS = new DicomReader.Limits(4 << 20, 16 << 20, 8);
    private static final ImageLimits IMAGES = new ImageLimits(1024, 1 << 20, 32L << 20);

    /** Valid inputs for each target, so the fuzzer starts from files that get far. */
    @BeforeAll
    static void writeSeedCorpus() throws IOException {
        writeSeeds(Path.of(".cifuzz-corpus", DicomFuzzTest.class.getName()));
    }

    /** Writes the seeds of each target under {@code root}/{@code <target>}. */
    private static void writeSeeds(Path root) throws IOException {
        Path reader = Files.createDirectories(root.resolve("readAndDecode"));
        int n = 0;
        for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
            Files.write(reader.resolve("seed-" + n++), DicomWriter.bytes(image(8, 8, 16, "CT"), ts));
            Files.write(reader.resolve("seed-" + n++), DicomWriter.bytes(image(6, 4, 8, "CR").putString(Tag.NUMBER_OF_FRAMES, VR.IS, "2"), ts));
        }
        Attributes rle = image(4, 4, 8, "DX");
        rle.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], rleFrame(4, 4))));
        Files.write(reader.resolve("seed-" + n), DicomWriter.bytes(rle, TransferSyntax.RLE_LOSSLESS));
        Files.write(Files.createDirectories(root.resolve("rle")).resolve("seed-0"), rleFrame(16, 16));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 256; i++) {
            gray.getRaster().setSample(i % 16, i / 16, 0, i);
        }
        ImageIO.write(gray, "jpeg", jpeg);
        Files.write(Files.createDirectories(root.resolve("jpeg")).resolve("seed-0"), jpeg.toByteArray());
    }

    /** A whole DICOM file, read within limits and its pixels decoded. */
    @FuzzTest(maxDuration = "20s")
    void readAndDecode(byte[] data) {
        try {
            DicomFile file = new DicomReader(LIMITS).read(new ByteArrayInputStream(data), (dataset, ts) -> {
                PixelHeader header = PixelHeader.of(dataset);
                IMAGES.check(header.columns(), header.rows(), ImageLimits.dicomDecodeBytes(header, ts));
            });
            if (file.dataset().contains(Tag.PIXEL_DATA)) {
                DicomPixels.decode(file, PixelOptions.defaults());
            }
        } catch (DicomException | ImageTooLargeException expected) {
            // a refusal with a reason is the right answer to bad bytes
        }
    }

    /** A JPEG stream (baseline, extended or lossless) said to be a 16×16 frame. */
    @FuzzTest(maxDuration = "20s")
    void jpeg(byte[] data) {
        try {
            JpegDecoder.decode(data, 16, 16);
        } catch (DicomException expected) {
            // refused with a reason
        }
    }

    /** An RLE frame (PS3.5 G) said to be 16×16 16-bit, one sample a pixel. */
    @FuzzTest(maxDuration = "20s")
    void rle(byte[] data) {
        try {
            RleDecoder.decode(data, 16, 16, 1, 16);
        } catch (DicomException expected) {
            // refused with a reason
        }
    }

    private static Attributes image(int rows, int columns, int bits, String modality) {
        byte[] pixels = new byte[rows * columns * (bits / 8) * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3.4." + rows + "." + bits)
                .putString(Tag.MODALITY, VR.CS, modality)
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .putUnsignedShort(Tag.ROWS, rows)
                .putUnsignedShort(Tag.COLUMNS, columns)
                .putUnsignedShort(Tag.BITS_ALLOCATED, bits)
                .putUnsignedShort(Tag.BITS_STORED, bits)
                .putUnsignedShort(Tag.HIGH_BIT, bits - 1)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, 0)
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "-1024")
                .putString(Tag.RESCALE_SLOPE, VR.DS, "1")
                .putBytes(Tag.PIXEL_DATA, bits == 8 ? VR.OB : VR.OW, pixels);
    }

    /**
     * An RLE frame (PS3.5 G.3) of {@code rows}×{@code columns}: a header naming one segment per
     * byte of the sample ({@code 16×16} is 16-bit, two segments; smaller is 8-bit, one), each a
     * literal run of its bytes.
     */
    private static byte[] rleFrame(int rows, int columns) {
        int segments = rows == 16 ? 2 : 1;
        int pixels = rows * columns;
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        byte[] header = new byte[64];
        header[0] = (byte) segments;
        int offset = 64;
        for (int s = 0; s < segments; s++) {
            header[4 + 4 * s] = (byte) offset;
            header[5 + 4 * s] = (byte) (offset >> 8);
            offset += pixels + (pixels + 127) / 128;
        }
        frame.writeBytes(header);
        for (int s = 0; s < segments; s++) {
            for (int start = 0; start < pixels; start += 128) {
                int run = Math.min(128, pixels - start);
                frame.write(run - 1);
                for (int i = 0; i < run; i++) {
                    frame.write((start + i) * (s + 3));
                }
            }
        }
        return frame.toByteArray();
    }
}
