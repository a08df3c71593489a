package io.lungflow.dicom.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DicomPixelsTest {

    private static final int ROWS = 4;
    private static final int COLUMNS = 5;

    /** Stored values chosen to cross the lung window's edges: −1024 … 1000 HU after the −1024 intercept. */
    private static final int[] STORED = {0, 24, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1700, 1900, 2024};

    @Test
    void ctValuesAreHounsfieldUnitsAndTheLungWindowIsApplied() throws Exception {
        DecodedImage image = decode(image("CT", "MONOCHROME2", 16, 16, true, "-1024", "1", shorts(STORED)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        for (int i = 0; i < STORED.length; i++) {
            double hu = STORED[i] - 1024.0;
            assertThat(image.modalityValues()[i]).isEqualTo((float) hu);
            // Independently: the window spans −1350 … +150 HU; below is black, above is white, linear between.
            double lo = -600 - 750;
            int expected = hu <= lo - 0.5 ? 0 : hu > -600 + 750 - 1 ? 255 : (int) Math.round((hu - lo + 0.5) / 1499.0 * 255);
            assertThat(gray(image.gray(), i)).as("HU %s", hu).isBetween(expected - 1, expected + 1);
        }
        assertThat(gray(image.gray(), 0)).isEqualTo(55);                  // −1024 HU, air: dark grey in the lung window
        assertThat(gray(image.gray(), STORED.length - 1)).isEqualTo(255); // +1000 HU, bone: white
    }

    @Test
    void monochromeOneIsInverted() throws Exception {
        BufferedImage two = decode(image("CR", "MONOCHROME2", 16, 12, false, null, null, shorts(STORED)), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).gray();
        BufferedImage one = decode(image("CR", "MONOCHROME1", 16, 12, false, null, null, shorts(STORED)), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).gray();
        for (int i = 0; i < STORED.length; i++) {
            assertThat(gray(one, i)).isEqualTo(255 - gray(two, i));
        }
        assertThat(gray(two, 0)).isEqualTo(0);
        assertThat(gray(two, STORED.length - 1)).isEqualTo(255);
    }

    @Test
    void bitsAboveBitsStoredAreIgnoredAndSignIsExtended() throws Exception {
        int[] raw = new int[ROWS * COLUMNS];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 0xF000 | (i == 0 ? 0x0800 : i); // garbage in the top 4 bits; the first is −2048 in 12-bit two's complement
        }
        DecodedImage image = decode(image("DX", "MONOCHROME2", 16, 12, true, null, null, shorts(raw)), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(image.modalityValues()[0]).isEqualTo(-2048f);
        assertThat(image.modalityValues()[5]).isEqualTo(5f);
    }

    @Test
    void rgbBecomesLuminanceInterleavedOrPlanar() throws Exception {
        for (int planar : new int[] {0, 1}) {
            byte[] rgb = new byte[ROWS * COLUMNS * 3];
            for (int p = 0; p < ROWS * COLUMNS; p++) {
                int r = p * 10;
                int g = 255 - p * 10;
                int b = 40;
                if (planar == 0) {
                    rgb[3 * p] = (byte) r;
                    rgb[3 * p + 1] = (byte) g;
                    rgb[3 * p + 2] = (byte) b;
                } else {
                    rgb[p] = (byte) r;
                    rgb[ROWS * COLUMNS + p] = (byte) g;
                    rgb[2 * ROWS * COLUMNS + p] = (byte) b;
                }
            }
            Attributes a = image("DX", "RGB", 8, 8, false, null, null, rgb);
            a.putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 3).putUnsignedShort(Tag.PLANAR_CONFIGURATION, planar);
            DecodedImage image = decode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(image.modalityValues()[3]).isCloseTo((float) (0.299 * 30 + 0.587 * 225 + 0.114 * 40), org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void multiFrameImagesGiveTheMiddleFrameUnlessAskedOtherwise() throws Exception {
        int frames = 3;
        int[] all = new int[ROWS * COLUMNS * frames];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < ROWS * COLUMNS; i++) {
                all[f * ROWS * COLUMNS + i] = 100 * (f + 1) + i;
            }
        }
        Attributes a = image("CT", "MONOCHROME2", 16, 16, false, "0", "1", shorts(all));
        a.putString(Tag.NUMBER_OF_FRAMES, VR.IS, "3");
        DecodedImage middle = decode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(middle.frame()).isEqualTo(1);
        assertThat(middle.modalityValues()[0]).isEqualTo(200f);
        DecodedImage last = DicomPixels.decode(read(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), new PixelOptions(2, -600, 1500));
        assertThat(last.modalityValues()[0]).isEqualTo(300f);
    }

    @Test
    void rleLosslessDecodesToTheSamePixelsAsUncompressed() throws Exception {
        byte[] nativePixels = shorts(STORED);
        Attributes a = image("CT", "MONOCHROME2", 16, 16, true, "-1024", "1", nativePixels);
        DecodedImage uncompressed = decode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        a.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], rle16(STORED))));
        DecodedImage rle = decode(a, TransferSyntax.RLE_LOSSLESS);
        assertThat(rle.modalityValues()).containsExactly(uncompressed.modalityValues());
    }

    @Test
    void jpegBaselineDecodesThroughImageIo() throws Exception {
        BufferedImage source = new BufferedImage(COLUMNS * 4, ROWS * 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                source.getRaster().setSample(x, y, 0, x < source.getWidth() / 2 ? 30 : 220);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(source, "jpeg", jpeg);
        Attributes a = image("CR", "MONOCHROME2", 8, 8, false, null, null, new byte[0]);
        a.putUnsignedShort(Tag.ROWS, source.getHeight()).putUnsignedShort(Tag.COLUMNS, source.getWidth());
        a.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], jpeg.toByteArray())));
        DecodedImage image = decode(a, TransferSyntax.JPEG_BASELINE);
        assertThat(image.modalityValues()[0]).isCloseTo(30f, org.assertj.core.data.Offset.offset(6f));
        assertThat(image.modalityValues()[source.getWidth() - 1]).isCloseTo(220f, org.assertj.core.data.Offset.offset(6f));
    }

    @Test
    void undecodableSyntaxesAndShortPixelDataAreRefusedWithAReason() throws Exception {
        Attributes a = image("CT", "MONOCHROME2", 16, 16, true, "-1024", "1", shorts(STORED));
        a.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], new byte[] {1, 2})));
        assertThatThrownBy(() -> decode(a, TransferSyntax.JPEG_LS_LOSSLESS)).isInstanceOf(DicomException.class)
                .hasMessageContaining("1.2.840.10008.1.2.4.80").hasMessageContaining("not decoded");
        Attributes shortData = image("CT", "MONOCHROME2", 16, 16, true, "-1024", "1", new byte[10]);
        assertThatThrownBy(() -> decode(shortData, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).isInstanceOf(DicomException.class)
                .hasMessageContaining("holds 10 bytes");
    }

    static Attributes image(String modality, String photometric, int bitsAllocated, int bitsStored, boolean signed, String intercept, String slope,
            byte[] pixels) {
        Attributes a = new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3.4.5")
                .putString(Tag.MODALITY, VR.CS, modality)
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, photometric)
                .putUnsignedShort(Tag.ROWS, ROWS)
                .putUnsignedShort(Tag.COLUMNS, COLUMNS)
                .putUnsignedShort(Tag.BITS_ALLOCATED, bitsAllocated)
                .putUnsignedShort(Tag.BITS_STORED, bitsStored)
                .putUnsignedShort(Tag.HIGH_BIT, bitsStored - 1)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, signed ? 1 : 0)
                .putBytes(Tag.PIXEL_DATA, bitsAllocated == 8 ? VR.OB : VR.OW, pixels);
        if (intercept != null) {
            a.putString(Tag.RESCALE_INTERCEPT, VR.DS, intercept).putString(Tag.RESCALE_SLOPE, VR.DS, slope);
        }
        return a;
    }

    private static DecodedImage decode(Attributes a, TransferSyntax ts) throws Exception {
        return DicomPixels.decode(read(a, ts), PixelOptions.defaults());
    }

    private static DicomFile read(Attributes a, TransferSyntax ts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().write(out, a, ts);
        return new DicomReader().read(new ByteArrayInputStream(out.toByteArray()));
    }

    static byte[] shorts(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    private static int gray(BufferedImage image, int index) {
        return image.getRaster().getSample(index % image.getWidth(), index / image.getWidth(), 0);
    }

    /** RLE (PS3.5 Annex G) of 16-bit samples: two segments, high bytes then low bytes, as literal runs and one replicate run. */
    private static byte[] rle16(int[] values) {
        List<byte[]> segments = new ArrayList<>();
        for (int shift : new int[] {8, 0}) {
            ByteArrayOutputStream seg = new ByteArrayOutputStream();
            int i = 0;
            while (i < values.length) {
                int run = 1;
                while (i + run < values.length && run < 128 && ((values[i + run] >> shift) & 0xFF) == ((values[i] >> shift) & 0xFF)) {
                    run++;
                }
                if (run >= 3) {
                    seg.write(1 - run);
                    seg.write((values[i] >> shift) & 0xFF);
                    i += run;
                } else {
                    seg.write(0);
                    seg.write((values[i] >> shift) & 0xFF);
                    i++;
                }
            }
            if (seg.size() % 2 == 1) {
                seg.write(-128 & 0xFF); // a no-op byte keeps segments even
            }
            segments.add(seg.toByteArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(2).putInt(64).putInt(64 + segments.get(0).length);
        out.writeBytes(header.array());
        segments.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
