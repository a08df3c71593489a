package io.lungflow.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DicomReaderTest {

    private final DicomReader reader = new DicomReader();

    @ParameterizedTest
    @CsvSource({"IMPLICIT_VR_LITTLE_ENDIAN,false", "IMPLICIT_VR_LITTLE_ENDIAN,true", "EXPLICIT_VR_LITTLE_ENDIAN,false",
            "EXPLICIT_VR_LITTLE_ENDIAN,true", "DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,false", "DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,true"})
    void readsBackWhatWasWrittenInEachSyntaxWithDefinedAndUndefinedLengths(TransferSyntax ts, boolean definedLengths) throws Exception {
        Attributes written = DicomFiles.ct(8, 6);
        byte[] file = DicomFiles.write(written, ts, definedLengths);

        DicomFile read = reader.read(new ByteArrayInputStream(file));

        assertThat(read.transferSyntax()).isEqualTo(ts);
        assertThat(read.meta().getString(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID)).isEqualTo("1.2.826.0.1.3680043.8.498.1");
        Attributes a = read.dataset();
        assertThat(a.size()).isEqualTo(written.size());
        assertThat(a.getString(Tag.PATIENT_NAME)).isEqualTo("Doe^Jane");
        assertThat(a.getString(Tag.MODALITY)).isEqualTo("CT");
        assertThat(a.getUnsignedShort(Tag.ROWS, 0)).isEqualTo(8);
        assertThat(a.getUnsignedShort(Tag.COLUMNS, 0)).isEqualTo(6);
        assertThat(a.getDecimal(Tag.RESCALE_INTERCEPT, 0)).isEqualTo(-1024.0);
        assertThat(a.get(Tag.PIXEL_DATA).orElseThrow().value()).isEqualTo(written.get(Tag.PIXEL_DATA).orElseThrow().value());
        DicomElement sequence = a.get(0x00082218).orElseThrow();
        assertThat(sequence.isSequence()).isTrue();
        assertThat(sequence.items()).hasSize(2);
        assertThat(sequence.items().get(1).getString(0x00080104)).isEqualTo("Lung");
        Attributes nested = sequence.items().get(0).get(0x00082228).orElseThrow().items().get(0);
        assertThat(nested.getString(0x00080100)).isEqualTo("T-D3000");
    }

    @Test
    void readsABareDataSetWithoutPreambleOrMetaInEitherVrEncoding() throws Exception {
        for (boolean explicit : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DicomWriter().writeDataset(out, DicomFiles.ct(4, 4), explicit);
            DicomFile read = reader.read(new ByteArrayInputStream(out.toByteArray()));
            assertThat(read.transferSyntax())
                    .isEqualTo(explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            assertThat(read.dataset().getString(Tag.PATIENT_ID)).isEqualTo("PAT-0001");
            assertThat(read.dataset().get(0x00082218).orElseThrow().items()).hasSize(2);
        }
    }

    @Test
    void keepsEncapsulatedPixelDataAsFragments() throws Exception {
        Attributes a = DicomFiles.ct(4, 4);
        a.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], new byte[] {1, 2, 3}, new byte[] {4, 5, 6, 7})));
        DicomFile read = reader.read(new ByteArrayInputStream(DicomFiles.write(a, TransferSyntax.JPEG_BASELINE, false)));
        List<byte[]> fragments = read.dataset().get(Tag.PIXEL_DATA).orElseThrow().fragments();
        assertThat(fragments).hasSize(3);
        assertThat(fragments.get(1)).containsExactly(1, 2, 3, 0); // padded to even length, as the standard requires
        assertThat(fragments.get(2)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void refusesBigEndianAndUnknownSyntaxesWithTheirUid() throws Exception {
        byte[] file = DicomFiles.write(DicomFiles.ct(2, 2), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false);
        byte[] bigEndian = replace(file, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid() + "\0", "1.2.840.10008.1.2.2");
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(bigEndian))).isInstanceOf(DicomException.class)
                .hasMessageContaining("1.2.840.10008.1.2.2").hasMessageContaining("retired");
        byte[] unknown = replace(file, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid() + "\0", "1.2.840.10008.1.2.99");
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(unknown))).isInstanceOf(DicomException.class)
                .hasMessageContaining("1.2.840.10008.1.2.99");
    }

    @Test
    void everyTruncationIsADicomExceptionThatSaysSo() throws Exception {
        byte[] file = DicomFiles.write(DicomFiles.ct(4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true);
        for (int cut = 133; cut < file.length; cut++) {
            byte[] truncated = Arrays.copyOf(file, cut);
            try {
                reader.read(new ByteArrayInputStream(truncated));
                // A cut that falls exactly between two top-level elements is a complete, shorter data set.
            } catch (DicomException e) {
                assertThat(e.getMessage()).as("cut at %d", cut).isNotBlank();
            }
        }
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(Arrays.copyOf(file, file.length - 3))))
                .isInstanceOf(DicomException.class).hasMessageContaining("Truncated");
    }

    @Test
    void aHostileLengthIsRefusedBeforeAnythingIsAllocatedForIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x10, 0x00, 0x10, 0x00}); // (0010,0010)
        out.writeBytes(new byte[] {'U', 'T', 0, 0});
        out.writeBytes(DicomWriter.uint32(0x7FFFFFF0L));
        out.writeBytes(new byte[16]);
        DicomReader small = new DicomReader(new DicomReader.Limits(1 << 20, 1 << 22, 8));
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(out.toByteArray()))).isInstanceOf(DicomException.class)
                .hasMessageContaining("(0010,0010)").hasMessageContaining("more than the limit");
    }

    @Test
    void deeplyNestedSequencesAreRefused() throws Exception {
        Attributes inner = new Attributes().putString(Tag.PATIENT_ID, VR.LO, "x");
        for (int i = 0; i < 40; i++) {
            Attributes outer = new Attributes();
            outer.put(DicomElement.sequence(0x00082218, List.of(inner)));
            inner = outer;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(out, inner, true);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(out.toByteArray()))).isInstanceOf(DicomException.class)
                .hasMessageContaining("nest deeper");
    }

    /** A seeded mutation loop: flipped, inserted and deleted bytes never produce anything but a DicomException. */
    @Test
    void mutatedFilesOnlyEverFailWithTheReadersOwnException() throws Exception {
        Random random = new Random(20201);
        DicomReader bounded = new DicomReader(new DicomReader.Limits(1 << 20, 8 << 20, 16));
        List<byte[]> seeds = List.of(
                DicomFiles.write(DicomFiles.ct(4, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false),
                DicomFiles.write(DicomFiles.ct(4, 4), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, true),
                DicomFiles.write(DicomFiles.ct(4, 4), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, false));
        int refused = 0;
        for (int run = 0; run < 3000; run++) {
            byte[] mutated = mutate(seeds.get(run % seeds.size()), random);
            try {
                bounded.read(new ByteArrayInputStream(mutated));
            } catch (DicomException expected) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) 0xFF;
                case 2 -> b = Arrays.copyOf(b, Math.max(1, at));
                default -> {
                    byte[] grown = new byte[b.length + 4];
                    System.arraycopy(b, 0, grown, 0, at);
                    System.arraycopy(DicomWriter.uint32(random.nextLong()), 0, grown, at, 4);
                    System.arraycopy(b, at, grown, at + 4, b.length - at);
                    b = grown;
                }
            }
        }
        return b;
    }

    private static byte[] replace(byte[] file, String from, String to) {
        String s = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(s).contains(from);
        assertThat(to.length()).isLessThanOrEqualTo(from.length());
        String padded = to + "\0".repeat(from.length() - to.length());
        return s.replace(from, padded).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
