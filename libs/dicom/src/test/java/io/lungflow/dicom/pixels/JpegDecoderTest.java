package io.lungflow.dicom.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lungflow's JPEG decoder against an independent codec: dcmtk's dcmcjpeg encodes (IJG's libjpeg
 * inside), and the decoded values must be the originals for lossless JPEG and within a step of what
 * dcmtk's own dcmdjpeg decodes for 12-bit extended JPEG. Restart intervals come from a small
 * lossless encoder written here; hostile streams end in DicomException. Tests needing dcmtk skip,
 * saying so, without it (.ci/run installs it).
 */
class JpegDecoderTest {

    private Path work;

    @BeforeEach
    void work() throws Exception {
        work = Files.createTempDirectory("jpeg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+e1", "+el +sv 1", "+el +sv 2", "+el +sv 3", "+el +sv 4", "+el +sv 5", "+el +sv 6", "+el +sv 7"})
    void losslessFromDcmtkDecodesToTheOriginalValuesWithEveryPredictor(String options) throws Exception {
        assumeDcmtk();
        Path original = write(ct12(96, 80, 1), "original.dcm");
        Path lossless = work.resolve("lossless.dcm");
        List<String> command = new ArrayList<>(List.of("dcmcjpeg"));
        command.addAll(List.of(options.split(" ")));
        command.addAll(List.of(original.toString(), lossless.toString()));
        run(command.toArray(String[]::new));
        DicomFile encoded = read(lossless);
        assertThat(encoded.transferSyntax()).isIn(TransferSyntax.JPEG_LOSSLESS, TransferSyntax.JPEG_LOSSLESS_SV1);
        assertThat(decode(encoded).modalityValues()).containsExactly(decode(read(original)).modalityValues());
    }

    @Test
    void sixteenBitSignedLosslessDecodesToTheOriginalHounsfieldValues() throws Exception {
        assumeDcmtk();
        Attributes ct = ct12(64, 64, 2);
        short[] hu = new short[64 * 64];
        Random random = new Random(3);
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (-1000 + random.nextInt(3000));
        }
        ByteBuffer pixels = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : hu) {
            pixels.putShort(v);
        }
        ct.putUnsignedShort(Tag.BITS_STORED, 16).putUnsignedShort(Tag.HIGH_BIT, 15).putUnsignedShort(Tag.PIXEL_REPRESENTATION, 1)
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "0").putBytes(Tag.PIXEL_DATA, VR.OW, pixels.array());
        Path original = write(ct, "signed.dcm");
        Path lossless = work.resolve("signed-lossless.dcm");
        run("dcmcjpeg", "+e1", original.toString(), lossless.toString());
        float[] values = decode(read(lossless)).modalityValues();
        for (int i = 0; i < hu.length; i++) {
            assertThat(values[i]).as("pixel %d", i).isEqualTo(hu[i]);
        }
    }

    @Test
    void twelveBitExtendedFromDcmtkDecodesAsDcmtkDecodesIt() throws Exception {
        assumeDcmtk();
        Path original = write(ct12(128, 96, 4), "original.dcm");
        Path extended = work.resolve("extended.dcm");
        run("dcmcjpeg", "+ee", "+q", "95", original.toString(), extended.toString());
        Path reference = work.resolve("reference.dcm");
        run("dcmdjpeg", extended.toString(), reference.toString());
        DicomFile encoded = read(extended);
        assertThat(encoded.transferSyntax()).isEqualTo(TransferSyntax.JPEG_EXTENDED);
        float[] ours = decode(encoded).modalityValues();
        float[] theirs = decode(read(reference)).modalityValues();
        float[] source = decode(read(original)).modalityValues();
        double worst = 0;
        double error = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
            error += Math.abs(ours[i] - source[i]);
        }
        assertThat(worst).as("largest difference from dcmdjpeg's decoding").isLessThanOrEqualTo(1);
        assertThat(error / ours.length).as("mean difference from the lossless original, in HU").isLessThan(8);
    }

    @Test
    void pydicomsTwelveBitJpegSampleDecodesAsDcmtkDecodesIt() throws Exception {
        assumeDcmtk();
        Path sample = Path.of(System.getProperty("lungflow.shared", "../../../shared")).resolve("dicom-samples/pydicom/JPEG-lossy.dcm");
        assumeTrue(Files.isRegularFile(sample), "SKIPPED: " + sample + " is absent (../shared/dicom-samples is not beside this checkout)");
        Path reference = work.resolve("reference.dcm");
        run("dcmdjpeg", sample.toString(), reference.toString());
        float[] ours = decode(read(sample)).modalityValues();
        float[] theirs = decode(read(reference)).modalityValues();
        assertThat(ours).hasSameSizeAs(theirs);
        for (int i = 0; i < ours.length; i++) {
            assertThat(Math.abs(ours[i] - theirs[i])).as("pixel %d", i).isLessThanOrEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 40})
    void restartIntervalsAreFollowed(int interval) throws Exception {
        int width = 40;
        int height = 24;
        int[] samples = new int[width * height];
        Random random = new Random(interval);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 2000 + (i % width) * 30 + random.nextInt(50);
        }
        byte[] stream = LosslessEncoder.encode(samples, width, height, 12, interval);
        JpegDecoder.Image image = JpegDecoder.decode(stream, width, height);
        assertThat(image.samples()).containsExactly(samples);
        assertThat(image.precision()).isEqualTo(12);
    }

    @Test
    void refusesWhatItDoesNotDecodeWithTheReason() throws Exception {
        byte[] stream = LosslessEncoder.encode(new int[64], 8, 8, 12, 0);
        assertThatThrownBy(() -> JpegDecoder.decode(stream, 9, 8)).isInstanceOf(DicomException.class).hasMessageContaining("header says");
        byte[] progressive = stream.clone();
        progressive[indexOf(progressive, 0xC3) ] = (byte) 0xC2;
        assertThatThrownBy(() -> JpegDecoder.decode(progressive, 8, 8)).isInstanceOf(DicomException.class).hasMessageContaining("Progressive");
        assertThatThrownBy(() -> JpegDecoder.decode(Arrays.copyOf(stream, stream.length - 6), 8, 8)).isInstanceOf(DicomException.class);
    }

    @Test
    void mutatedStreamsEndInDicomExceptionOnly() throws Exception {
        int[] samples = new int[32 * 32];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (i * 37) % 4096;
        }
        byte[] seed = LosslessEncoder.encode(samples, 32, 32, 12, 5);
        Random random = new Random(11);
        int refused = 0;
        for (int run = 0; run < 3000; run++) {
            byte[] mutated = seed.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            }
            try {
                JpegDecoder.decode(mutated, 32, 32);
            } catch (DicomException expected) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    private static int indexOf(byte[] data, int marker) {
        for (int i = 0; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == marker) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker " + marker);
    }

    /** A CT slice of 12-bit unsigned values with structure (so lossy coding has something to keep) and some noise. */
    static Attributes ct12(int rows, int columns, long seed) {
        Random random = new Random(seed);
        ByteBuffer pixels = ByteBuffer.allocate(rows * columns * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                double v = 1500 + 1200 * Math.sin(x / 9.0) * Math.cos(y / 13.0) + random.nextInt(40);
                pixels.putShort((short) Math.max(0, Math.min(4095, (int) v)));
            }
        }
        return DicomPixelsTest.image("CT", "MONOCHROME2", 16, 12, false, "-1024", "1", pixels.array())
                .putUnsignedShort(Tag.ROWS, rows)
                .putUnsignedShort(Tag.COLUMNS, columns)
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.2")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.77." + seed);
    }

    private Path write(Attributes a, String name) throws Exception {
        Path file = work.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            new DicomWriter().write(out, a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        return file;
    }

    private static DicomFile read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new DicomReader().read(in);
        }
    }

    private static DecodedImage decode(DicomFile file) throws Exception {
        return DicomPixels.decode(file, PixelOptions.defaults());
    }

    private static void assumeDcmtk() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmcjpeg")) && Files.isExecutable(Path.of("/usr/bin/dcmdjpeg")),
                "SKIPPED: dcmtk's dcmcjpeg and dcmdjpeg are absent (apt-get install dcmtk; .ci/run installs it)");
    }

    private void run(String... command) throws Exception {
        Path log = work.resolve("tool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(log)).isZero();
    }

    /**
     * A minimal lossless JPEG encoder (predictor 1, one fixed Huffman table of 5-bit codes, the
     * given restart interval): the decoder's restart handling has no other independent source here.
     */
    static final class LosslessEncoder {

        static byte[] encode(int[] samples, int width, int height, int precision, int restartInterval) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
            // DHT: DC table 0, seventeen symbols (categories 0..16) of code length 5.
            ByteArrayOutputStream dht = new ByteArrayOutputStream();
            dht.write(0x00);
            for (int l = 1; l <= 16; l++) {
                dht.write(l == 5 ? 17 : 0);
            }
            for (int s = 0; s <= 16; s++) {
                dht.write(s);
            }
            segment(out, 0xC4, dht.toByteArray());
            segment(out, 0xC3, new byte[] {(byte) precision, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 1, 1, 0x11, 0});
            if (restartInterval > 0) {
                segment(out, 0xDD, new byte[] {(byte) (restartInterval >> 8), (byte) restartInterval});
            }
            segment(out, 0xDA, new byte[] {1, 1, 0x00, 1, 0, 0});
            Bits bits = new Bits(out);
            int restarts = 0;
            int restartRow = 0;
            int restartColumn = 0;
            for (int n = 0; n < samples.length; n++) {
                int y = n / width;
                int x = n % width;
                if (restartInterval > 0 && n > 0 && n % restartInterval == 0) {
                    bits.flush();
                    out.writeBytes(new byte[] {(byte) 0xFF, (byte) (0xD0 + restarts++ % 8)});
                    restartRow = y;
                    restartColumn = x;
                }
                int prediction = y == restartRow ? (x == restartColumn ? 1 << (precision - 1) : samples[n - 1])
                        : x == 0 ? samples[n - width] : samples[n - 1];
                int difference = (short) ((samples[n] - prediction) & 0xFFFF);
                int category = difference == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(Math.abs(difference));
                bits.put(category, 5);
                if (category > 0 && category < 16) {
                    bits.put(difference > 0 ? difference : difference + (1 << category) - 1, category);
                }
            }
            bits.flush();
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
            return out.toByteArray();
        }

        private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) marker, (byte) ((body.length + 2) >> 8), (byte) (body.length + 2)});
            out.writeBytes(body);
        }

        private static final class Bits {
            private final ByteArrayOutputStream out;
            private int buffer;
            private int count;

            Bits(ByteArrayOutputStream out) {
                this.out = out;
            }

            void put(int value, int length) {
                for (int i = length - 1; i >= 0; i--) {
                    buffer = (buffer << 1) | ((value >> i) & 1);
                    if (++count == 8) {
                        emit();
                    }
                }
            }

            void flush() {
                while (count != 0) {
                    put(1, 1); // pad with ones (T.81 F.1.2.3)
                }
            }

            private void emit() {
                out.write(buffer);
                if ((buffer & 0xFF) == 0xFF) {
                    out.write(0);
                }
                buffer = 0;
                count = 0;
            }
        }
    }
}
