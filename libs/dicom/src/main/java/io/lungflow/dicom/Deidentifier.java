package io.lungflow.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * De-identifies what lungflow keeps, following the Basic Application Level Confidentiality
 * Profile of PS3.15 Annex E: identifying attributes are removed or emptied, the patient id
 * becomes lungflow's keyed pseudonym, instance UIDs are replaced by {@code 2.25.<n>} UIDs derived
 * from the originals with a keyed hash (the same original always maps to the same replacement, so
 * a study stays a study), private attributes are removed, and (0012,0062)/(0012,0063) say so.
 * Sequences are treated recursively. The pixel data is kept: burned-in annotations are not
 * detected (the profile's "Clean Pixel Data" option is not offered).
 */
public final class Deidentifier {

    public static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    public static final int DEIDENTIFICATION_METHOD = 0x00120063;

    /** Attributes the profile removes (X) or empties (Z) that lungflow has no use for. */
    static final Set<Integer> REMOVED = Set.of(
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

    /** Attributes the profile replaces with a consistent UID (U). */
    static final Set<Integer> REMAPPED_UIDS = Set.of(
            0x00080014, Tag.SOP_INSTANCE_UID, 0x00081155, 0x00083010, Tag.STUDY_INSTANCE_UID, Tag.SERIES_INSTANCE_UID, 0x00200052,
            0x00200200, 0x00209161, 0x00209164, 0x00281199, 0x00281214, 0x0040A124, 0x00880140, 0x30060024, 0x300600C2, 0x00020003);

    private final SecretKeySpec key;

    public Deidentifier(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("The de-identification key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /**
     * A de-identified copy of {@code dataset}; {@code patientPseudonym} (lungflow's keyed hash of
     * the patient id, or null) becomes the Patient ID. The Study Instance UID is remapped, not removed.
     */
    public Attributes deidentify(Attributes dataset, String patientPseudonym) {
        Attributes out = copy(dataset, 0);
        out.putString(Tag.PATIENT_NAME, VR.PN, "");
        out.putString(Tag.PATIENT_ID, VR.LO, patientPseudonym == null ? "" : patientPseudonym);
        out.putString(0x00100040, VR.CS, ""); // Patient's Sex: Z
        out.putString(PATIENT_IDENTITY_REMOVED, VR.CS, "YES");
        out.putString(DEIDENTIFICATION_METHOD, VR.LO, "lungflow: PS3.15 Basic Application Level Confidentiality Profile");
        return out;
    }

    private Attributes copy(Attributes in, int depth) {
        Attributes out = new Attributes();
        for (DicomElement e : in.elements()) {
            int tag = e.tag();
            if ((Tag.group(tag) & 1) == 1 || REMOVED.contains(tag) || Tag.group(tag) == 0x0010) {
                continue; // private, listed, or any other patient attribute (group 0010); name, id and sex are re-added empty or pseudonymous
            }
            if (REMAPPED_UIDS.contains(tag) && e.value() != null) {
                String uid = new String(e.value(), StandardCharsets.ISO_8859_1).replace("\0", "").strip();
                out.putString(tag, VR.UI, uid.isEmpty() ? "" : remap(uid));
            } else if (e.isSequence()) {
                List<Attributes> items = new ArrayList<>();
                for (Attributes item : e.items()) {
                    items.add(copy(item, depth + 1));
                }
                out.put(DicomElement.sequence(tag, items));
            } else {
                out.put(e);
            }
        }
        return out;
    }

    /** {@code 2.25.} and the first 128 bits of HMAC-SHA-256(original) as a decimal integer (PS3.5 §B.2). */
    public String remap(String uid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(("uid:" + uid).getBytes(StandardCharsets.US_ASCII));
            byte[] first = java.util.Arrays.copyOf(digest, 16);
            return "2.25." + new BigInteger(1, first);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
