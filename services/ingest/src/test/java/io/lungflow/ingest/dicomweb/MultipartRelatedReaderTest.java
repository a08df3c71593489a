package io.lungflow.ingest.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartRelatedReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryPartWhateverTheReadSizes() throws Exception {
        Random random = new Random(7);
        List<byte[]> contents = List.of(bytes(random, 200_000), bytes(random, 1), bytes(random, 0), bytes(random, 70_000));
        byte[] body = body("b0und4ry", contents, "preamble to ignore\r\n");
        for (int maxRead : new int[] {1, 7, 4096, 1 << 20}) {
            List<byte[]> read = readAll(new Trickle(new ByteArrayInputStream(body), maxRead), "b0und4ry");
            assertThat(read).hasSize(contents.size());
            for (int i = 0; i < contents.size(); i++) {
                assertThat(read.get(i)).as("part %d at reads of %d", i, maxRead).isEqualTo(contents.get(i));
            }
        }
    }

    @Test
    void aContentThatContainsMostOfTheDelimiterIsNotCutThere() throws Exception {
        byte[] tricky = "abc\r\n--b0und4rX and \r\n--b0und def".getBytes(StandardCharsets.US_ASCII);
        assertThat(readAll(new ByteArrayInputStream(body("b0und4ry", List.of(tricky), "")), "b0und4ry")).containsExactly(tricky);
    }

    @Test
    void parsesTheBoundaryParameter() {
        assertThat(MultipartRelatedReader.boundary("multipart/related; type=\"application/dicom\"; boundary=\"abc def\"")).isEqualTo("abc def");
        assertThat(MultipartRelatedReader.boundary("multipart/related;boundary=xyz;type=application/dicom")).isEqualTo("xyz");
        assertThat(MultipartRelatedReader.boundary("multipart/related; type=application/dicom")).isNull();
        String orthancStyle = "564a99cd-2d12-452f-a8b5-e14995094603-564a99cd-2d12-452f-a8b5-e14995094603";
        assertThat(MultipartRelatedReader.boundary("multipart/related; type=\"application/dicom\"; boundary=" + orthancStyle)).isEqualTo(orthancStyle);
        assertThat(MultipartRelatedReader.boundary("multipart/related; boundary=" + "b".repeat(257))).isNull();
    }

    @Test
    void refusesTruncatedBodiesUnendingHeadersAndOversizedParts() throws Exception {
        byte[] whole = body("bnd", List.of(new byte[5000]), "");
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 12)), "bnd"))
                .isInstanceOf(MultipartRelatedReader.MalformedMultipartException.class).hasMessageContaining("closing boundary");
        byte[] headers = ("--bnd\r\nContent-Type: application/dicom\r\n" + "X: y\r\n".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(headers), "bnd"))
                .isInstanceOf(MultipartRelatedReader.MalformedMultipartException.class).hasMessageContaining("headers");
        MultipartRelatedReader small = new MultipartRelatedReader(new ByteArrayInputStream(whole), "bnd", 1000);
        assertThatThrownBy(() -> small.next(dir)).isInstanceOf(MultipartRelatedReader.PartTooLargeException.class);
    }

    /** Random bodies never raise anything but the reader's own exception. */
    @Test
    void mutatedBodiesOnlyFailWithTheReadersException() throws Exception {
        Random random = new Random(20201);
        byte[] seed = body("seed-boundary", List.of(bytes(random, 3000), bytes(random, 500)), "");
        for (int run = 0; run < 500; run++) {
            byte[] mutated = seed.clone();
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            }
            try {
                MultipartRelatedReader reader = new MultipartRelatedReader(new ByteArrayInputStream(mutated), "seed-boundary", 1 << 24);
                MultipartRelatedReader.Part part;
                while ((part = reader.next(dir)) != null) {
                    Files.delete(part.file());
                }
            } catch (MultipartRelatedReader.MalformedMultipartException expected) {
                // the reader's own refusal
            }
        }
    }

    private List<byte[]> readAll(InputStream in, String boundary) throws IOException {
        MultipartRelatedReader reader = new MultipartRelatedReader(in, boundary, 1 << 24);
        List<byte[]> out = new ArrayList<>();
        MultipartRelatedReader.Part part;
        while ((part = reader.next(dir)) != null) {
            assertThat(part.contentType()).isEqualTo("application/dicom");
            out.add(Files.readAllBytes(part.file()));
            assertThat(part.size()).isEqualTo(out.get(out.size() - 1).length);
            Files.delete(part.file());
        }
        return out;
    }

    static byte[] body(String boundary, List<byte[]> parts, String preamble) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Hands out at most {@code max} bytes per read, as a slow network does. */
    private static final class Trickle extends FilterInputStream {
        private final int max;

        Trickle(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, max));
        }
    }
}
