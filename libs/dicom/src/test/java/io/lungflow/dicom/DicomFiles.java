package io.lungflow.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Data sets for tests, written by lungflow's own writer. */
final class DicomFiles {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private DicomFiles() {
    }

    /** A small CT slice: 16-bit signed pixels, rescale intercept −1024, a nested sequence, patient data. */
    static Attributes ct(int rows, int columns) {
        Attributes a = new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, CT_IMAGE_STORAGE)
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.1")
                .putString(Tag.MODALITY, VR.CS, "CT")
                .putString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .putString(Tag.PATIENT_ID, VR.LO, "PAT-0001")
                .putString(Tag.BODY_PART_EXAMINED, VR.CS, "CHEST")
                .putString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.2")
                .putString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.8.498.3")
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .putUnsignedShort(Tag.ROWS, rows)
                .putUnsignedShort(Tag.COLUMNS, columns)
                .putUnsignedShort(Tag.BITS_ALLOCATED, 16)
                .putUnsignedShort(Tag.BITS_STORED, 16)
                .putUnsignedShort(Tag.HIGH_BIT, 15)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, 1)
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "-1024")
                .putString(Tag.RESCALE_SLOPE, VR.DS, "1");
        Attributes inner = new Attributes().putString(0x00080100, VR.SH, "T-D3000").putString(0x00080102, VR.SH, "SRT");
        Attributes item = new Attributes().putString(0x00080104, VR.LO, "Chest");
        item.put(DicomElement.sequence(0x00082228, List.of(inner)));
        a.put(DicomElement.sequence(0x00082218, List.of(item, new Attributes().putString(0x00080104, VR.LO, "Lung"))));
        ByteBuffer pixels = ByteBuffer.allocate(rows * columns * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * columns; i++) {
            pixels.putShort((short) (i * 7 % 2000));
        }
        a.putBytes(Tag.PIXEL_DATA, VR.OW, pixels.array());
        return a;
    }

    static byte[] write(Attributes dataset, TransferSyntax ts, boolean definedLengths) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomWriter(definedLengths).write(out, dataset, ts);
        return out.toByteArray();
    }
}
