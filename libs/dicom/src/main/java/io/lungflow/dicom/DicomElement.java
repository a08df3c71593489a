package io.lungflow.dicom;

import java.util.List;

/**
 * One data element: its tag and VR (null when read from an implicit-VR stream, which does not
 * carry it), and its value: bytes, the items of a sequence, or the fragments of encapsulated
 * pixel data (the first is the basic offset table).
 */
public record DicomElement(int tag, VR vr, byte[] value, List<Attributes> items, List<byte[]> fragments) {

    public static DicomElement of(int tag, VR vr, byte[] value) {
        return new DicomElement(tag, vr, value, null, null);
    }

    public static DicomElement sequence(int tag, List<Attributes> items) {
        return new DicomElement(tag, VR.SQ, null, List.copyOf(items), null);
    }

    public static DicomElement encapsulated(int tag, List<byte[]> fragments) {
        return new DicomElement(tag, VR.OB, null, null, List.copyOf(fragments));
    }

    public boolean isSequence() {
        return items != null;
    }

    public boolean isEncapsulated() {
        return fragments != null;
    }
}
