package io.lungflow.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeidentifierTest {

    /** Attributes PS3.15 Table E.1-1 lists as removed or emptied (X, Z, D and their combinations), transcribed from the standard. */
    private static final Set<Integer> LISTED = Set.of(
            0x00080020, 0x00080021, 0x00080022, 0x00080023, 0x00080024, 0x00080025, 0x0008002A, 0x00080030, 0x00080031, 0x00080032,
            0x00080033, 0x00080034, 0x00080035, 0x00080050, 0x00080080, 0x00080081, 0x00080082, 0x00080090, 0x00080092, 0x00080094,
            0x00080096, 0x00080201, 0x00081010, 0x00081030, 0x0008103E, 0x00081040, 0x00081048, 0x00081049, 0x00081050, 0x00081052,
            0x00081060, 0x00081062, 0x00081070, 0x00081072, 0x00081080, 0x00081084, 0x00081110, 0x00081111, 0x00081120, 0x00082111,
            0x00100021, 0x00100030, 0x00100032, 0x00100050, 0x00100101, 0x00100102, 0x00101000, 0x00101001, 0x00101002, 0x00101005,
            0x00101010, 0x00101020, 0x00101030, 0x00101040, 0x00101050, 0x00101060, 0x00101080, 0x00101081, 0x00101090, 0x00102000,
            0x00102110, 0x00102150, 0x00102152, 0x00102154, 0x00102160, 0x00102180, 0x001021A0, 0x001021B0, 0x001021C0, 0x001021D0,
            0x001021F0, 0x00102203, 0x00102297, 0x00102299, 0x00104000, 0x00181000, 0x00181002, 0x00181004, 0x00181005, 0x00181007,
            0x00181008, 0x00181009, 0x00181030, 0x00181400, 0x00184000, 0x00189424, 0x00200010, 0x00203401, 0x00203406,
            0x00204000, 0x00209158, 0x00321032, 0x00321033, 0x00321060, 0x00324000, 0x00380004, 0x00380010, 0x00380011, 0x0038001E,
            0x00380020, 0x00380021, 0x00380040, 0x00380050, 0x00380060, 0x00380061, 0x00380062, 0x00380300, 0x00380400, 0x00380500,
            0x00384000, 0x00400001, 0x00400002, 0x00400003, 0x00400004, 0x00400005, 0x00400006, 0x00400007, 0x0040000B, 0x00400010,
            0x00400011, 0x00400012, 0x00400241, 0x00400242, 0x00400243, 0x00400244, 0x00400245, 0x00400250, 0x00400251, 0x00400253,
            0x00400254, 0x00400275, 0x00400280, 0x00401001, 0x00401004, 0x00401005, 0x00401010, 0x00401011, 0x00401102, 0x00401103,
            0x00401400, 0x00402001, 0x00402008, 0x00402009, 0x00402010, 0x00402016, 0x00402017, 0x00402400, 0x00403001, 0x0040A027,
            0x0040A073, 0x0040A075, 0x0040A078, 0x0040A07A, 0x0040A07C, 0x0040A123, 0x0040A730, 0x00700001, 0x00700084, 0x00700086,
            0x30060002, 0x30060004, 0x30060008, 0x30060009, 0x300E0008, 0x40000010, 0x40004000, 0x40080042, 0x4008010A, 0x4008010B,
            0x4008010C, 0x40080111, 0x40080114, 0x40080115, 0x40080118, 0x40080119, 0x4008011A, 0x40080202, 0x40080300, 0xFFFAFFFA,
            0xFFFCFFFC);

    private final Deidentifier deidentifier = new Deidentifier("test-only-deidentification-key-0123456789".getBytes(StandardCharsets.UTF_8));

    @Test
    void removesIdentifyingAttributesRemapsUidsAndKeepsWhatTheModelNeeds() throws Exception {
        Attributes original = DicomFiles.ct(4, 4)
                .putString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19700101")
                .putString(Tag.ACCESSION_NUMBER, VR.SH, "ACC123")
                .putString(0x00080090, VR.PN, "House^Gregory")
                .putString(0x00080080, VR.LO, "Princeton-Plainsboro")
                .putString(0x00080020, VR.DA, "20200316")
                .putString(0x00091010, VR.LO, "private vendor data");
        Attributes ref = new Attributes().putString(0x00081155, VR.UI, "1.2.826.0.1.3680043.8.498.9").putString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane");
        original.put(DicomElement.sequence(0x00081140, List.of(ref)));

        Attributes clean = deidentifier.deidentify(original, "hmac-sha256:" + "a".repeat(64));

        assertThat(clean.getString(Tag.PATIENT_NAME)).isNull();
        assertThat(clean.getString(Tag.PATIENT_ID)).isEqualTo("hmac-sha256:" + "a".repeat(64));
        for (int removed : new int[] {Tag.PATIENT_BIRTH_DATE, Tag.ACCESSION_NUMBER, 0x00080090, 0x00080080, 0x00080020, 0x00091010}) {
            assertThat(clean.contains(removed)).as(Tag.format(removed)).isFalse();
        }
        assertThat(clean.getString(Deidentifier.PATIENT_IDENTITY_REMOVED)).isEqualTo("YES");
        String study = clean.getString(Tag.STUDY_INSTANCE_UID);
        assertThat(study).startsWith("2.25.").isNotEqualTo(original.getString(Tag.STUDY_INSTANCE_UID)).hasSizeLessThanOrEqualTo(64);
        assertThat(study).isEqualTo(deidentifier.remap(original.getString(Tag.STUDY_INSTANCE_UID)));
        assertThat(clean.getString(Tag.SOP_INSTANCE_UID)).isNotEqualTo(study).startsWith("2.25.");
        Attributes item = clean.get(0x00081140).orElseThrow().items().get(0);
        assertThat(item.getString(0x00081155)).isEqualTo(deidentifier.remap("1.2.826.0.1.3680043.8.498.9"));
        assertThat(item.contains(Tag.PATIENT_NAME)).isFalse();
        // What the model and the pipeline need stays.
        assertThat(clean.getString(Tag.MODALITY)).isEqualTo("CT");
        assertThat(clean.getString(Tag.BODY_PART_EXAMINED)).isEqualTo("CHEST");
        assertThat(clean.get(Tag.PIXEL_DATA).orElseThrow().value()).isEqualTo(original.get(Tag.PIXEL_DATA).orElseThrow().value());
        assertThat(clean.getDecimal(Tag.RESCALE_INTERCEPT, 0)).isEqualTo(-1024.0);

        // The result is a valid file that carries none of the identifying text.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter().write(out, clean, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        String bytes = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("Doe^Jane", "PAT-0001", "House", "Princeton", "ACC123", "19700101", "1.2.826.0.1.3680043.8.498.2");
        assertThat(new DicomReader().read(new ByteArrayInputStream(out.toByteArray())).dataset().getString(Tag.STUDY_INSTANCE_UID)).isEqualTo(study);
    }

    @Test
    void noAttributeTheProfileListsIsEverKept() {
        assertThat(LISTED).noneMatch(Deidentifier::retained);
        Attributes original = DicomFiles.ct(4, 4);
        for (int tag : LISTED) {
            original.putString(tag, VR.LO, "IDENTIFYING");
        }
        Attributes clean = deidentifier.deidentify(original, null);
        for (int tag : LISTED) {
            assertThat(clean.contains(tag)).as(Tag.format(tag)).isFalse();
        }
    }

    @Test
    void anyAttributeLungflowDoesNotKnowIsRemovedAndTheMethodIsRecorded() {
        Attributes original = DicomFiles.ct(4, 4);
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int group = 0x0008 + 2 * random.nextInt(0x3000);
            int tag = (group << 16) | (0x0010 + random.nextInt(0xFFE0));
            if (Tag.group(tag) != 0x0028 && !Deidentifier.RETAINED.contains(tag) && !Deidentifier.REMAPPED_UIDS.contains(tag)) {
                original.putString(tag, VR.LO, "X");
            }
        }
        Attributes clean = deidentifier.deidentify(original, null);
        Set<Integer> added = Set.of(Tag.PATIENT_NAME, Tag.PATIENT_ID, 0x00100040, Deidentifier.PATIENT_IDENTITY_REMOVED,
                Deidentifier.DEIDENTIFICATION_METHOD, Deidentifier.DEIDENTIFICATION_METHOD_CODES);
        for (DicomElement e : clean.elements()) {
            assertThat(Deidentifier.retained(e.tag()) || added.contains(e.tag())).as(Tag.format(e.tag())).isTrue();
        }
        Attributes code = clean.get(Deidentifier.DEIDENTIFICATION_METHOD_CODES).orElseThrow().items().get(0);
        assertThat(code.getString(0x00080100)).isEqualTo("113100");
        assertThat(clean.getString(Deidentifier.PATIENT_IDENTITY_REMOVED)).isEqualTo("YES");
    }
}
