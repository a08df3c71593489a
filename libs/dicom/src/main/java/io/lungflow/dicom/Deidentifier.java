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
 * Profile of PS3.15 Annex E, by retention rather than by removal: only the attributes the pixels
 * and the pipeline need are kept ({@link #RETAINED}: image pixel, modality LUT and VOI LUT
 * attributes (group 0028), modality, body part, view, geometry, the enhanced multi-frame
 * functional groups), so every attribute the profile removes or empties (Table E.1-1), every
 * private attribute and anything not known is gone. Instance UIDs are replaced by
 * {@code 2.25.<n>} UIDs derived from the originals with a keyed hash (the same original always
 * maps to the same replacement, so a study stays a study); the patient id becomes lungflow's keyed
 * pseudonym, name and sex are empty; (0012,0062), (0012,0063) and (0012,0064) say what was done.
 * Sequences are treated recursively. The pixel data is kept: burned-in annotations are not
 * detected (the profile's Clean Pixel Data option is not offered).
 */
public final class Deidentifier {

    public static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    public static final int DEIDENTIFICATION_METHOD = 0x00120063;
    public static final int DEIDENTIFICATION_METHOD_CODES = 0x00120064;

    /** Group 0028 (image pixel, modality LUT, VOI LUT, multi-frame) is kept whole, except this. */
    private static final int IMAGE_PRESENTATION_COMMENTS = 0x00284000;

    /** Attributes kept outside group 0028, none of them listed by the profile except the UIDs, which are remapped. */
    static final Set<Integer> RETAINED = Set.of(
            0x00080005, // Specific Character Set
            0x00080008, // Image Type
            0x00080016, // SOP Class UID
            0x00080060, // Modality
            0x00080064, // Conversion Type
            0x00080068, // Presentation Intent Type
            0x00081140, // Referenced Image Sequence
            0x00081150, // Referenced SOP Class UID
            0x00082112, // Source Image Sequence
            0x00180015, // Body Part Examined
            0x00180050, // Slice Thickness
            0x00180060, // KVP
            0x00180088, // Spacing Between Slices
            0x00181164, // Imager Pixel Spacing
            0x00185101, // View Position
            0x00200011, // Series Number
            0x00200012, // Acquisition Number
            0x00200013, // Instance Number
            0x00200020, // Patient Orientation
            0x00200032, // Image Position (Patient)
            0x00200037, // Image Orientation (Patient)
            0x00200060, // Laterality
            0x00200062, // Image Laterality
            0x00201041, // Slice Location
            0x00209113, // Plane Position Sequence
            0x00209116, // Plane Orientation Sequence
            0x52009229, // Shared Functional Groups Sequence
            0x52009230, // Per-frame Functional Groups Sequence
            0x7FE00008, // Float Pixel Data
            0x7FE00009, // Double Float Pixel Data
            Tag.PIXEL_DATA);

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
        Attributes code = new Attributes()
                .putString(0x00080100, VR.SH, "113100")
                .putString(0x00080102, VR.SH, "DCM")
                .putString(0x00080104, VR.LO, "Basic Application Confidentiality Profile");
        out.put(DicomElement.sequence(DEIDENTIFICATION_METHOD_CODES, List.of(code)));
        return out;
    }

    private Attributes copy(Attributes in, int depth) {
        Attributes out = new Attributes();
        for (DicomElement e : in.elements()) {
            int tag = e.tag();
            if (!retained(tag)) {
                continue; // listed by the profile, private, or of no use to lungflow; name, id and sex are re-added empty or pseudonymous
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

    static boolean retained(int tag) {
        return REMAPPED_UIDS.contains(tag) || RETAINED.contains(tag) || (Tag.group(tag) == 0x0028 && tag != IMAGE_PRESENTATION_COMMENTS);
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
