package io.lungflow.testkit;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomElement;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.util.List;

/** DICOM instances for tests, written with lungflow's own writer: with patient data, as a PACS sends them. */
public final class TestDicom {

    public static final String PATIENT_NAME = "Doe^Jane";
    public static final String PATIENT_ID = "MRN-778899";
    public static final String STUDY_UID = "1.2.826.0.1.3680043.8.498.100";

    private TestDicom() {
    }

    public static Attributes instance(String modality, String bodyPart, int size, long seed) {
        byte[] pixels = new byte[size * size * 2];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < size * size; i++) {
            int v = 200 + random.nextInt(1600);
            pixels[2 * i] = (byte) v;
            pixels[2 * i + 1] = (byte) (v >> 8);
        }
        Attributes a = new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.2")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.300." + seed)
                .putString(Tag.ACCESSION_NUMBER, VR.SH, "ACC-" + seed)
                .putString(Tag.MODALITY, VR.CS, modality)
                .putString(Tag.PATIENT_NAME, VR.PN, PATIENT_NAME)
                .putString(Tag.PATIENT_ID, VR.LO, PATIENT_ID)
                .putString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19610203")
                .putString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .putString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.200")
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .putUnsignedShort(Tag.ROWS, size)
                .putUnsignedShort(Tag.COLUMNS, size)
                .putUnsignedShort(Tag.BITS_ALLOCATED, 16)
                .putUnsignedShort(Tag.BITS_STORED, 12)
                .putUnsignedShort(Tag.HIGH_BIT, 11)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, 0)
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "-1024")
                .putString(Tag.RESCALE_SLOPE, VR.DS, "1")
                .putBytes(Tag.PIXEL_DATA, VR.OW, pixels);
        if (bodyPart != null) {
            a.putString(Tag.BODY_PART_EXAMINED, VR.CS, bodyPart);
        }
        return a;
    }

    public static byte[] file(Attributes a, TransferSyntax ts) {
        return DicomWriter.bytes(a, ts);
    }

    /**
     * A decompression bomb: a chest X-ray of {@code side}² 16-bit pixels, all zero, in deflated
     * explicit VR little endian, so that a file of a few hundred kilobytes declares (and inflates
     * to) {@code 2·side²} bytes of pixels.
     */
    public static byte[] deflatedBomb(int side, long seed) {
        Attributes a = instance("DX", "CHEST", 16, seed);
        a.putUnsignedShort(Tag.ROWS, side).putUnsignedShort(Tag.COLUMNS, side).putBytes(Tag.PIXEL_DATA, VR.OW, new byte[2 * side * side]);
        return file(a, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The instance with its pixel data as one opaque fragment, declared in {@code ts}. */
    public static byte[] encapsulated(Attributes a, TransferSyntax ts) {
        a.put(DicomElement.encapsulated(Tag.PIXEL_DATA, List.of(new byte[0], new byte[] {1, 2, 3, 4})));
        return file(a, ts);
    }
}
