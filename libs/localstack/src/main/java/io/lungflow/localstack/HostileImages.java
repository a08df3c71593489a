package io.lungflow.localstack;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What the load benchmark's hostile clients and its well-behaved PACS send over DICOM. */
final class HostileImages {

    private HostileImages() {
    }

    /** A chest X-ray of {@code side}² 16-bit pixels, all zero, deflated: a few hundred kilobytes declaring {@code 2·side²} bytes. */
    static byte[] deflatedDicom(int side) {
        return DicomWriter.bytes(xray(side, "2.25.1" + side).putBytes(Tag.PIXEL_DATA, VR.OW, new byte[2 * side * side]),
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** An ordinary 256² chest CT slice, uncompressed, for a well-behaved C-STORE (scored by covid-ct, like the HTTP uploads). */
    static byte[] ct256() {
        byte[] pixels = new byte[2 * 256 * 256];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i / 512);
            pixels[i + 1] = (byte) ((i / 512) >> 6 & 0x0F);
        }
        Attributes ct = xray(256, "2.25.256").putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.2").putString(Tag.MODALITY, VR.CS, "CT")
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "-1024").putString(Tag.RESCALE_SLOPE, VR.DS, "1");
        return DicomWriter.bytes(ct.putBytes(Tag.PIXEL_DATA, VR.OW, pixels), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The first 74 bytes of an A-ASSOCIATE-RQ (PS3.8 9.3.2) from PACS_LOCAL to LUNGFLOW, which a slow sender never finishes. */
    static byte[] associateRequestStart() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00});
        out.writeBytes(String.format("%-16s%-16s", "LUNGFLOW", "PACS_LOCAL").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[32]);
        return out.toByteArray();
    }

    private static Attributes xray(int side, String instanceUid) {
        return new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.1.1")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, instanceUid)
                .putString(Tag.MODALITY, VR.CS, "DX")
                .putString(Tag.BODY_PART_EXAMINED, VR.CS, "CHEST")
                .putString(Tag.STUDY_INSTANCE_UID, VR.UI, instanceUid + ".1")
                .putString(Tag.SERIES_INSTANCE_UID, VR.UI, instanceUid + ".2")
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .putUnsignedShort(Tag.ROWS, side)
                .putUnsignedShort(Tag.COLUMNS, side)
                .putUnsignedShort(Tag.BITS_ALLOCATED, 16)
                .putUnsignedShort(Tag.BITS_STORED, 12)
                .putUnsignedShort(Tag.HIGH_BIT, 11)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, 0);
    }
}
