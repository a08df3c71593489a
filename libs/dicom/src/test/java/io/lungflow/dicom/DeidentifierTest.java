package io.lungflow.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeidentifierTest {

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
}
