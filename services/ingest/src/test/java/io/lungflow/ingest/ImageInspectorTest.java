package io.lungflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.dicom.pixels.DecodeBudget;
import io.lungflow.dicom.pixels.ImageLimits;
import io.lungflow.imaging.PngFiles;
import io.lungflow.platform.problem.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the inspector lets through and what it refuses, with which reason. */
class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(16, new ImageLimits(4096, 10_000_000, 192L << 20),
            new DecodeBudget(192L << 20), Duration.ofSeconds(1), Duration.ofSeconds(10), 64 << 20);

    @TempDir
    Path dir;

    @Test
    void acceptsPngAndJpegAndReportsTheirSize() throws IOException {
        assertThat(inspect(TestImages.png(300, 200, 1), ImageFormat.PNG))
                .isEqualTo(new ImageInspector.Inspected(ImageFormat.PNG, 300, 200, null, null));
        assertThat(inspect(TestImages.jpeg(64, 80, 2), ImageFormat.JPEG))
                .isEqualTo(new ImageInspector.Inspected(ImageFormat.JPEG, 64, 80, null, null));
    }

    @Test
    void recognisesTheFormatWhenNoneWasDeclared() throws IOException {
        assertThat(inspect(TestImages.jpeg(64, 64, 3), null).format()).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void refusesATruncatedPng() {
        assertRefused(TestImages.truncated(TestImages.png(256, 256, 4), 0.6), ImageFormat.PNG, 400, "undecodable");
    }

    @Test
    void refusesATruncatedJpegThatImageIoOnlyWarnsAbout() {
        assertRefused(TestImages.truncated(TestImages.jpeg(256, 256, 5), 0.5), ImageFormat.JPEG, 400, "undecodable");
    }

    @Test
    void refusesBytesThatAreNotTheDeclaredFormat() {
        assertRefused(TestImages.jpeg(64, 64, 6), ImageFormat.PNG, 400, "content-mismatch");
        byte[] noise = new byte[4096];
        Arrays.fill(noise, (byte) 7);
        assertRefused(noise, ImageFormat.JPEG, 400, "content-mismatch");
        assertRefused(noise, null, 415, "unsupported-media-type");
    }

    @Test
    void refusesAbsurdDimensionsFromTheHeaderAlone() {
        assertRefused(PngFiles.headerClaiming(100_000, 100_000), ImageFormat.PNG, 413, "image-too-large");
        assertRefused(PngFiles.headerClaiming(4000, 4000), ImageFormat.PNG, 413, "image-too-large");
        assertRefused(TestImages.png(8, 300, 8), ImageFormat.PNG, 400, "bad-dimensions");
    }

    private ImageInspector.Inspected inspect(byte[] bytes, ImageFormat declared) throws IOException {
        Path file = Files.write(dir.resolve("image"), bytes);
        return inspector.inspect(file, Arrays.copyOf(bytes, Math.min(bytes.length, ImageFormat.SIGNATURE_BYTES)), declared);
    }

    private void assertRefused(byte[] bytes, ImageFormat declared, int status, String code) {
        assertThatThrownBy(() -> inspect(bytes, declared))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(status);
                    assertThat(e.problem().code()).isEqualTo(code);
                    assertThat(e.problem().detail()).isNotBlank();
                });
    }
}
