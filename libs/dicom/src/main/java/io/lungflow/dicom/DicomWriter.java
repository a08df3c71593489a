package io.lungflow.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes DICOM Part 10 files (PS3.10 §7.1): the 128-byte preamble, "DICM", the file meta
 * information in explicit VR little endian, then the data set in the chosen transfer syntax.
 * Sequences are written with undefined lengths and delimiters, or with defined lengths when asked,
 * so that readers of both can be tested. Pixel data with fragments is written encapsulated.
 */
public final class DicomWriter {

    /** lungflow's implementation class UID, under the UUID-derived root of PS3.5 §B.2. */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.159773841046271125622624612016361846089";
    public static final String IMPLEMENTATION_VERSION = "LUNGFLOW_01";

    private final boolean definedLengths;

    public DicomWriter() {
        this(false);
    }

    public DicomWriter(boolean definedLengths) {
        this.definedLengths = definedLengths;
    }

    /** {@code dataset} as the bytes of a Part 10 file in {@code ts}, with defined lengths. */
    public static byte[] bytes(Attributes dataset, TransferSyntax ts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new DicomWriter().write(out, dataset, ts);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** Writes {@code dataset} as a Part 10 file; the SOP class and instance UIDs of the meta come from the data set. */
    public void write(OutputStream out, Attributes dataset, TransferSyntax ts) throws IOException {
        String sopClass = dataset.getString(Tag.SOP_CLASS_UID);
        String sopInstance = dataset.getString(Tag.SOP_INSTANCE_UID);
        if (sopClass == null || sopInstance == null) {
            throw new IllegalArgumentException("A Part 10 file needs SOP Class UID (0008,0016) and SOP Instance UID (0008,0018)");
        }
        Attributes meta = new Attributes()
                .putBytes(Tag.FILE_META_INFORMATION_VERSION, VR.OB, new byte[] {0, 1})
                .putString(Tag.MEDIA_STORAGE_SOP_CLASS_UID, VR.UI, sopClass)
                .putString(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, VR.UI, sopInstance)
                .putString(Tag.TRANSFER_SYNTAX_UID, VR.UI, ts.uid())
                .putString(Tag.IMPLEMENTATION_CLASS_UID, VR.UI, IMPLEMENTATION_CLASS_UID)
                .putString(Tag.IMPLEMENTATION_VERSION_NAME, VR.SH, IMPLEMENTATION_VERSION);
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        writeDataset(metaBytes, meta, true);
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        writeElement(out, DicomElement.of(Tag.FILE_META_GROUP_LENGTH, VR.UL, uint32(metaBytes.size())), true);
        metaBytes.writeTo(out);
        if (ts.deflated()) {
            DeflaterOutputStream deflated = new DeflaterOutputStream(new NonClosing(out), new Deflater(Deflater.DEFAULT_COMPRESSION, true));
            writeDataset(deflated, dataset, true);
            deflated.finish();
        } else {
            writeDataset(out, dataset, ts.explicitVr());
        }
        out.flush();
    }

    /** Writes the elements of a data set, without meta or preamble. */
    public void writeDataset(OutputStream out, Attributes dataset, boolean explicit) throws IOException {
        for (DicomElement e : dataset.elements()) {
            writeElement(out, e, explicit);
        }
    }

    private void writeElement(OutputStream out, DicomElement e, boolean explicit) throws IOException {
        VR vr = e.vr() != null ? e.vr() : VR.UN;
        if (e.isSequence()) {
            byte[] body = items(e.items(), explicit);
            header(out, e.tag(), VR.SQ, definedLengths ? body.length : -1, explicit);
            out.write(body);
            if (!definedLengths) {
                out.write(delimiter(Tag.SEQUENCE_DELIMITATION));
            }
        } else if (e.isEncapsulated()) {
            header(out, e.tag(), VR.OB, -1, explicit);
            for (byte[] fragment : e.fragments()) {
                out.write(uint16(0xFFFE));
                out.write(uint16(0xE000));
                out.write(uint32(fragment.length + (fragment.length & 1)));
                out.write(fragment);
                if ((fragment.length & 1) == 1) {
                    out.write(0);
                }
            }
            out.write(delimiter(Tag.SEQUENCE_DELIMITATION));
        } else {
            byte[] value = e.value() == null ? new byte[0] : e.value();
            boolean pad = (value.length & 1) == 1;
            header(out, e.tag(), vr, value.length + (pad ? 1 : 0), explicit);
            out.write(value);
            if (pad) {
                out.write(vr.text() && vr != VR.UI ? ' ' : 0);
            }
        }
    }

    private byte[] items(List<Attributes> items, boolean explicit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Attributes item : items) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            writeDataset(content, item, explicit);
            body.write(uint16(0xFFFE));
            body.write(uint16(0xE000));
            body.write(uint32(definedLengths ? content.size() : -1));
            content.writeTo(body);
            if (!definedLengths) {
                body.write(delimiter(Tag.ITEM_DELIMITATION));
            }
        }
        return body.toByteArray();
    }

    private static void header(OutputStream out, int tag, VR vr, long length, boolean explicit) throws IOException {
        out.write(uint16(tag >>> 16));
        out.write(uint16(tag & 0xFFFF));
        if (explicit) {
            out.write(vr.name().charAt(0));
            out.write(vr.name().charAt(1));
            if (vr.longLength()) {
                out.write(uint16(0));
                out.write(uint32(length));
            } else {
                if (length < 0 || length > 0xFFFF) {
                    throw new IllegalArgumentException(Tag.format(tag) + ": " + vr + " values are at most 65534 bytes");
                }
                out.write(uint16((int) length));
            }
        } else {
            out.write(uint32(length));
        }
    }

    private static byte[] delimiter(int tag) {
        byte[] b = new byte[8];
        System.arraycopy(uint16(tag >>> 16), 0, b, 0, 2);
        System.arraycopy(uint16(tag & 0xFFFF), 0, b, 2, 2);
        return b;
    }

    static byte[] uint16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    static byte[] uint32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** Lets the deflater finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
