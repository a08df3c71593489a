package io.lungflow.ingest.dicomweb;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the STOW-RS multipart reader: whatever the body, it gives
 * parts or refuses with a {@link MultipartRelatedReader.MalformedMultipartException} (a 400 to the
 * sender); any other exception, an error or a hang is a finding. Its parts are written to disk and
 * removed, as the service does. {@code mvn verify} fuzzes it for 20 s (the {@code fuzz-multipart}
 * execution in services/ingest/pom.xml); {@code ./lungflow fuzz multipart --minutes N} for longer.
 */
class MultipartFuzzTest {

    private static final String BOUNDARY = "b0und4ry";
    private static final Path PARTS = temporary();

    @BeforeAll
    static void writeSeedCorpus() throws IOException {
        writeSeeds(Path.of(".cifuzz-corpus", MultipartFuzzTest.class.getName()));
    }

    /** Bodies a PACS sends: one part, two parts with headers, a preamble and transport padding. */
    private static void writeSeeds(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("readParts"));
        String[] bodies = {
            "--b0und4ry\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--b0und4ry--\r\n",
            "preamble\r\n--b0und4ry  \r\nContent-Type: application/dicom\r\nContent-Length: 3\r\n\r\nabc\r\n--b0und4ry\r\n"
                    + "Content-Type: application/dicom\r\n\r\n\r\n--b0und4r\r\n--b0und4ry--",
        };
        for (int i = 0; i < bodies.length; i++) {
            Files.write(dir.resolve("seed-" + i), bodies[i].getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @FuzzTest(maxDuration = "20s")
    void readParts(byte[] data) throws IOException {
        MultipartRelatedReader reader = new MultipartRelatedReader(new ByteArrayInputStream(data), BOUNDARY, 1 << 16);
        try {
            for (int parts = 0; parts < 64; parts++) {
                MultipartRelatedReader.Part part = reader.next(PARTS);
                if (part == null) {
                    return;
                }
                part.headers().get("content-type");
                Files.delete(part.file());
            }
        } catch (MultipartRelatedReader.MalformedMultipartException expected) {
            // refused with a reason
        }
    }

    private static Path temporary() {
        try {
            Path dir = Files.createTempDirectory("lungflow-fuzz-parts");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
