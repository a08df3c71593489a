package io.lungflow.dicom;

import java.util.Optional;

/** The transfer syntaxes lungflow knows (PS3.5 §10 and Annex A), and how each encodes a data set and its pixels. */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, true, false),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, false, true),
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", true, false, true),
    JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", true, false, true),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false, true),
    /** JPEG-LS: known, so that a refusal can name it, but its pixels are not decoded. */
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, false, true),
    JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", true, false, true),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false, true),
    JPEG_2000("1.2.840.10008.1.2.4.91", true, false, true),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false, true);

    /** Explicit VR big endian (retired in PS3.5): named so that a refusal can say what was sent. */
    public static final String EXPLICIT_VR_BIG_ENDIAN_UID = "1.2.840.10008.1.2.2";

    private final String uid;
    private final boolean explicitVr;
    private final boolean deflated;
    private final boolean encapsulated;

    TransferSyntax(String uid, boolean explicitVr, boolean deflated, boolean encapsulated) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.deflated = deflated;
        this.encapsulated = encapsulated;
    }

    public String uid() {
        return uid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean deflated() {
        return deflated;
    }

    /** Whether pixel data is a sequence of compressed fragments (PS3.5 §A.4). */
    public boolean encapsulated() {
        return encapsulated;
    }

    public static Optional<TransferSyntax> of(String uid) {
        if (uid == null) {
            return Optional.empty();
        }
        String trimmed = uid.strip();
        for (TransferSyntax ts : values()) {
            if (ts.uid.equals(trimmed)) {
                return Optional.of(ts);
            }
        }
        return Optional.empty();
    }
}
