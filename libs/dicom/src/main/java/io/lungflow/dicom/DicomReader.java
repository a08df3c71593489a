package io.lungflow.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads DICOM Part 10 streams (PS3.10 §7): with or without the 128-byte preamble and file meta
 * information; implicit and explicit VR little endian, deflated explicit VR little endian, and
 * the encapsulated (compressed) syntaxes, whose pixel data it keeps as fragments. Sequences and
 * items of defined and undefined length nest to a bounded depth. Anything malformed or truncated
 * is a {@link DicomException} naming the element and the byte offset; a length beyond
 * {@link Limits} is refused before anything is allocated for it.
 */
public final class DicomReader {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    /** How much a stream may make the reader hold: per element, in all, and how deep sequences may nest. */
    public record Limits(long maxElementBytes, long maxTotalBytes, int maxDepth) {

        /** Generous for a single CT or X-ray instance, far below what a hostile length would ask. */
        public static Limits defaults() {
            return new Limits(512L << 20, 1L << 30, 16);
        }
    }

    /**
     * Looks at an instance once the reader reaches its Pixel Data (7FE0,0010), before the value is
     * read: the Image Pixel module is known by then, so an image too large to decode can be refused
     * before its pixels are held. Throwing stops the read.
     */
    @FunctionalInterface
    public interface PixelDataCheck {
        void beforePixelData(Attributes dataset, TransferSyntax ts) throws DicomException;
    }

    private final Limits limits;

    public DicomReader() {
        this(Limits.defaults());
    }

    public DicomReader(Limits limits) {
        this.limits = limits;
    }

    public DicomFile read(InputStream in) throws DicomException {
        return read(in, null);
    }

    /** Reads {@code in}, calling {@code check} (when not null) before the top-level Pixel Data is read. */
    public DicomFile read(InputStream in, PixelDataCheck check) throws DicomException {
        try {
            Source source = new Source(in, limits);
            byte[] head = source.peek(132);
            if (head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
                source.skip(132);
            } else if (head.length >= 4 && head[0] == 'D' && head[1] == 'I' && head[2] == 'C' && head[3] == 'M') {
                source.skip(4);
            }
            Attributes meta = new Attributes();
            TransferSyntax ts;
            byte[] next = source.peek(6);
            if (next.length >= 2 && ((next[0] & 0xFF) | (next[1] & 0xFF) << 8) == 0x0002) {
                while (true) {
                    byte[] tag = source.peek(2);
                    if (tag.length < 2 || ((tag[0] & 0xFF) | (tag[1] & 0xFF) << 8) != 0x0002) {
                        break;
                    }
                    meta.put(readElement(source, true, 0));
                }
                String uid = meta.getString(Tag.TRANSFER_SYNTAX_UID);
                if (uid == null) {
                    throw new DicomException("The file meta information has no Transfer Syntax UID (0002,0010)");
                }
                if (uid.equals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN_UID)) {
                    throw new DicomException("Explicit VR Big Endian (" + uid + ") is retired and not read; send little endian");
                }
                ts = TransferSyntax.of(uid).orElseThrow(() -> new DicomException("Transfer syntax " + uid + " is not one lungflow reads"));
            } else {
                // No file meta: a bare data set, explicit VR if the bytes after the first tag spell a VR.
                ts = next.length >= 6 && VR.of(next[4] & 0xFF, next[5] & 0xFF) != null
                        ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
            }
            if (ts.deflated()) {
                source = source.inflated();
            }
            Attributes dataset = new Attributes();
            while (!source.atEnd()) {
                if (check != null && nextTag(source) == Tag.PIXEL_DATA) {
                    check.beforePixelData(dataset, ts);
                    check = null;
                }
                dataset.put(readElement(source, ts.explicitVr(), 0));
            }
            return new DicomFile(meta, dataset, ts);
        } catch (EOFException e) {
            throw new DicomException("Truncated: the stream ended inside an element (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DicomException("Unreadable DICOM stream: " + e.getMessage(), e);
        }
    }

    private static int nextTag(Source s) throws IOException {
        byte[] b = s.peek(4);
        return b.length < 4 ? -1 : tagOf(b);
    }

    private DicomElement readElement(Source s, boolean explicit, int depth) throws IOException, DicomException {
        long at = s.position();
        int tag = s.readTag();
        VR vr = null;
        long length;
        if (explicit && Tag.group(tag) != 0xFFFE) {
            int b0 = s.readByte();
            int b1 = s.readByte();
            vr = VR.of(b0, b1);
            if (vr == null) {
                throw new DicomException("Element " + Tag.format(tag) + " at byte " + at + " has no valid VR (bytes " + b0 + ", " + b1 + ")");
            }
            if (vr.longLength()) {
                s.readUnsignedShort();
                length = s.readUnsignedInt();
            } else {
                length = s.readUnsignedShort();
            }
        } else {
            length = s.readUnsignedInt();
        }
        if (length == UNDEFINED) {
            if (tag == Tag.PIXEL_DATA) {
                return DicomElement.encapsulated(tag, readFragments(s));
            }
            return DicomElement.sequence(tag, readItems(s, explicit, depth + 1, -1));
        }
        if (length > limits.maxElementBytes()) {
            throw new DicomException("Element " + Tag.format(tag) + " at byte " + at + " declares " + length + " bytes, more than the limit of "
                    + limits.maxElementBytes());
        }
        if (vr == VR.SQ) {
            return DicomElement.sequence(tag, readItems(s, explicit, depth + 1, s.position() + length));
        }
        byte[] value = s.readBytes((int) length, tag);
        if (vr == null && length >= 8 && (value[0] & 0xFF) == 0xFE && (value[1] & 0xFF) == 0xFF && value[2] == 0 && (value[3] & 0xFF) == 0xE0) {
            // Implicit VR: a defined-length value that starts with an item tag is a sequence.
            Source nested = Source.of(value, limits);
            return DicomElement.sequence(tag, readItems(nested, false, depth + 1, length));
        }
        return DicomElement.of(tag, vr, value);
    }

    /** Items until the sequence delimitation ({@code end} < 0) or until {@code end}. */
    private List<Attributes> readItems(Source s, boolean explicit, int depth, long end) throws IOException, DicomException {
        if (depth > limits.maxDepth()) {
            throw new DicomException("Sequences nest deeper than " + limits.maxDepth() + " at byte " + s.position());
        }
        List<Attributes> items = new ArrayList<>();
        while (end < 0 || s.position() < end) {
            long at = s.position();
            int tag = s.readTag();
            long length = s.readUnsignedInt();
            if (tag == Tag.SEQUENCE_DELIMITATION) {
                if (end >= 0) {
                    throw new DicomException("A sequence delimitation item at byte " + at + " inside a sequence of defined length");
                }
                return items;
            }
            if (tag != Tag.ITEM) {
                throw new DicomException("Expected an item (FFFE,E000) at byte " + at + ", found " + Tag.format(tag));
            }
            Attributes item = new Attributes();
            if (length == UNDEFINED) {
                while (true) {
                    byte[] peek = s.peek(4);
                    if (peek.length == 4 && tagOf(peek) == Tag.ITEM_DELIMITATION) {
                        s.skip(4);
                        s.readUnsignedInt();
                        break;
                    }
                    item.put(readElement(s, explicit, depth));
                }
            } else {
                long itemEnd = s.position() + length;
                if (end >= 0 && itemEnd > end) {
                    throw new DicomException("Item at byte " + at + " of " + length + " bytes runs past the end of its sequence");
                }
                while (s.position() < itemEnd) {
                    item.put(readElement(s, explicit, depth));
                }
                if (s.position() != itemEnd) {
                    throw new DicomException("Item at byte " + at + " declares " + length + " bytes but its elements take " + (s.position() - at - 8));
                }
            }
            items.add(item);
        }
        if (s.position() != end) {
            throw new DicomException("A sequence's items overrun its declared length at byte " + s.position());
        }
        return items;
    }

    /** The tag in the first four bytes of {@code b}: group then element, each little endian. */
    private static int tagOf(byte[] b) {
        int group = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        int element = (b[2] & 0xFF) | (b[3] & 0xFF) << 8;
        return group << 16 | element;
    }

    private List<byte[]> readFragments(Source s) throws IOException, DicomException {
        List<byte[]> fragments = new ArrayList<>();
        while (true) {
            long at = s.position();
            int tag = s.readTag();
            long length = s.readUnsignedInt();
            if (tag == Tag.SEQUENCE_DELIMITATION) {
                return fragments;
            }
            if (tag != Tag.ITEM || length == UNDEFINED) {
                throw new DicomException("Encapsulated pixel data: expected a fragment item at byte " + at + ", found " + Tag.format(tag));
            }
            if (length > limits.maxElementBytes()) {
                throw new DicomException("A pixel data fragment at byte " + at + " declares " + length + " bytes, more than the limit");
            }
            fragments.add(s.readBytes((int) length, Tag.PIXEL_DATA));
        }
    }

    /** Little-endian reading with a position, a total budget, and look-ahead. */
    private static final class Source {
        private final InputStream in;
        private final Limits limits;
        private byte[] pushback = new byte[0];
        private long position;

        private Source(InputStream in, Limits limits) {
            this.in = in;
            this.limits = limits;
        }

        static Source of(byte[] bytes, Limits limits) {
            return new Source(new java.io.ByteArrayInputStream(bytes), limits);
        }

        Source inflated() {
            InputStream rest = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(pushback), in);
            Source s = new Source(new InflaterInputStream(rest, new Inflater(true)), limits);
            s.position = position;
            return s;
        }

        long position() {
            return position;
        }

        byte[] peek(int n) throws IOException {
            if (pushback.length < n) {
                byte[] more = in.readNBytes(n - pushback.length);
                byte[] joined = Arrays.copyOf(pushback, pushback.length + more.length);
                System.arraycopy(more, 0, joined, pushback.length, more.length);
                pushback = joined;
            }
            return Arrays.copyOf(pushback, Math.min(n, pushback.length));
        }

        boolean atEnd() throws IOException {
            return peek(1).length == 0;
        }

        void skip(int n) throws IOException {
            readBytes(n, 0);
        }

        int readByte() throws IOException {
            byte[] b = take(1);
            return b[0] & 0xFF;
        }

        int readUnsignedShort() throws IOException {
            byte[] b = take(2);
            return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        }

        long readUnsignedInt() throws IOException {
            byte[] b = take(4);
            return ((b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24);
        }

        int readTag() throws IOException {
            int group = readUnsignedShort();
            int element = readUnsignedShort();
            return group << 16 | element;
        }

        byte[] readBytes(int n, int tag) throws IOException {
            if (position + n > limits.maxTotalBytes()) {
                throw new IOException(Tag.format(tag) + " at byte " + position + " needs " + n + " bytes, beyond the " + limits.maxTotalBytes()
                        + " bytes this stream may hold: it is truncated or too large");
            }
            return take(n);
        }

        private byte[] take(int n) throws IOException {
            int fromPushback = Math.min(n, pushback.length);
            byte[] head = Arrays.copyOf(pushback, fromPushback);
            pushback = Arrays.copyOfRange(pushback, fromPushback, pushback.length);
            // readNBytes grows its buffer as bytes arrive: a hostile length costs only what the stream really holds.
            byte[] rest = fromPushback == n ? new byte[0] : in.readNBytes(n - fromPushback);
            if (fromPushback + rest.length < n) {
                throw new EOFException("needed " + n + " bytes at byte " + position + ", the stream had " + (fromPushback + rest.length));
            }
            byte[] out = rest.length == 0 ? head : Arrays.copyOf(head, n);
            if (rest.length > 0) {
                System.arraycopy(rest, 0, out, fromPushback, rest.length);
            }
            position += n;
            return out;
        }
    }
}
