package io.lungflow.ingest.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/related} body (RFC 2387, framed as in RFC 2046 §5.1) one part at a
 * time, streaming each part's content to a file: a study of hundreds of megabytes never sits in
 * memory. A part larger than the limit, headers that do not end, or a body that stops before its
 * closing delimiter are {@link MalformedMultipartException}s.
 */
public final class MultipartRelatedReader {

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** A part: its headers (names in lower case) and where its content was written. */
    public record Part(Map<String, String> headers, Path file, long size) {

        public String contentType() {
            return headers.get("content-type");
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final long maxPartBytes;
    private byte[] buffer = new byte[CHUNK * 2];
    private int start;
    private int end;
    private boolean finished;

    static final int MAX_BOUNDARY = 256;

    public MultipartRelatedReader(InputStream body, String boundary, long maxPartBytes) {
        // A leading CRLF lets the first boundary, which may open the body, match the delimiter too.
        this.in = new SequenceInputStream(new ByteArrayInputStream(new byte[] {'\r', '\n'}), body);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.maxPartBytes = maxPartBytes;
    }

    /**
     * The boundary parameter of a {@code multipart/related} content type, or null. RFC 2046 caps a
     * boundary at 70 characters, but senders in the field exceed it (Orthanc's DICOMweb plugin
     * sends 73), so up to {@value #MAX_BOUNDARY} are taken.
     */
    public static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length()).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.length() > MAX_BOUNDARY ? null : value;
            }
        }
        return null;
    }

    /** The next part, its content written to a new file in {@code directory}; null after the closing delimiter. */
    public Part next(Path directory) throws IOException {
        if (finished) {
            return null;
        }
        if (start == 0 && end == 0) {
            skipTo(OutputStream.nullOutputStream(), Long.MAX_VALUE); // the preamble
        }
        if (startsWith("--")) {
            finished = true;
            return null;
        }
        skipTransportPadding();
        if (!startsWith("\r\n")) {
            throw new MalformedMultipartException("a boundary is not followed by a line break");
        }
        start += 2;
        Map<String, String> headers = readHeaders();
        Path file = Files.createTempFile(directory, "part-", ".bin");
        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = skipTo(out, maxPartBytes);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Part(headers, file, size);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            if (!fill(1)) {
                throw new MalformedMultipartException("the body ends inside a part's headers");
            }
            byte b = buffer[start++];
            if (++total > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    return headers;
                }
                int colon = text.indexOf(':');
                if (colon > 0) {
                    headers.put(text.substring(0, colon).strip().toLowerCase(Locale.ROOT), text.substring(colon + 1).strip());
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /** Copies bytes to {@code out} up to the next delimiter, which it consumes; returns how many were copied. */
    private long skipTo(OutputStream out, long limit) throws IOException {
        long copied = 0;
        while (true) {
            fill(delimiter.length);
            int found = indexOf(delimiter, start, end);
            int safe = found >= 0 ? found : Math.max(start, end - delimiter.length + 1);
            int n = safe - start;
            if (copied + n > limit) {
                throw new PartTooLargeException(limit);
            }
            out.write(buffer, start, n);
            copied += n;
            start = safe;
            if (found >= 0) {
                start += delimiter.length;
                return copied;
            }
            if (!fill(delimiter.length + 1) && end - start < delimiter.length) {
                throw new MalformedMultipartException("the body ends before its closing boundary");
            }
        }
    }

    private void skipTransportPadding() throws IOException {
        while (fill(1) && (buffer[start] == ' ' || buffer[start] == '\t')) {
            start++;
        }
    }

    private boolean startsWith(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (!fill(b.length)) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (buffer[start + i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Makes at least {@code n} bytes available if the stream has them; false when it ended first. */
    private boolean fill(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < n) {
            if (end == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
            int r = in.read(buffer, end, Math.min(buffer.length - end, CHUNK));
            if (r < 0) {
                return false;
            }
            end += r;
        }
        return true;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The body is not a well-formed multipart body. */
    public static class MalformedMultipartException extends IOException {
        public MalformedMultipartException(String message) {
            super(message);
        }
    }

    /** A part is larger than the limit. */
    public static final class PartTooLargeException extends MalformedMultipartException {
        public PartTooLargeException(long limit) {
            super("a part is larger than " + limit + " bytes");
        }
    }
}
