package io.lungflow.dicom;

/** Value representations (PS3.5 §6.2) and how explicit-VR encodings write their lengths. */
public enum VR {
    AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV;

    /** Whether explicit VR encodings give this VR two reserved bytes and a 32-bit length (PS3.5 §7.1.2). */
    public boolean longLength() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, UC, UN, UR, UT, SV, UV -> true;
            default -> false;
        };
    }

    /** Whether values are text, padded to even length with a space (UI with a NUL). */
    public boolean text() {
        return switch (this) {
            case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT -> true;
            default -> false;
        };
    }

    /** The VR for two bytes read from a stream, or null when they name none. */
    public static VR of(int b0, int b1) {
        char c0 = (char) b0;
        char c1 = (char) b1;
        if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z') {
            return null;
        }
        try {
            return valueOf("" + c0 + c1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
