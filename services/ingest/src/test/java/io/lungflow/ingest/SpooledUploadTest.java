package io.lungflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.platform.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A spooled body has the right size and SHA-256, and a body over the limit is refused and leaves no file. */
class SpooledUploadTest {

    @Test
    void measuresAndHashesTheBody() throws Exception {
        byte[] body = "abc".getBytes(StandardCharsets.US_ASCII);
        Path file;
        try (SpooledUpload upload = SpooledUpload.spool(new ByteArrayInputStream(body), 10)) {
            file = upload.file();
            assertThat(upload.size()).isEqualTo(3);
            assertThat(upload.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(Files.readAllBytes(file)).isEqualTo(body);
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesABodyOverTheLimit() {
        assertThatThrownBy(() -> SpooledUpload.spool(new ByteArrayInputStream(new byte[11]), 10))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(413));
    }
}
