package io.lungflow.dicom.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lungflow.dicom.DicomFile;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.Tag;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample files in ../shared/dicom-samples (other projects' test files) decode; skipped, and saying so, without ../shared. */
class SharedSamplesTest {

    private static final Path SAMPLES = Path.of(System.getProperty("lungflow.shared", "../../../shared")).resolve("dicom-samples");

    @ParameterizedTest
    @CsvSource({
            "pydicom/CT_small.dcm, 128, 128, CT",
            "pydicom/MR_small.dcm, 64, 64, MR",
            "pydicom/MR_small_RLE.dcm, 64, 64, MR",
            "pydicom/JPEG2000.dcm, 1024, 256, ''",
            "fo-dicom/CR-MONO1-10-chest.dcm, 440, 440, CR",
            "fo-dicom/CT-MONO2-16-ankle.dcm, 512, 512, CT",
            "fo-dicom/CT1_J2KI.dcm, 512, 512, CT",
            "fo-dicom/D_CLUNIE_CT1_RLE_FRAGS.dcm, 512, 512, CT",
            "pydicom/JPEG-lossy.dcm, 1024, 256, NM"})
    void decodes(String name, int rows, int columns, String modality) throws Exception {
        Path file = SAMPLES.resolve(name);
        assumeTrue(Files.isRegularFile(file), "SKIPPED: " + file + " is absent (../shared/dicom-samples is not beside this checkout)");
        DicomFile dicom;
        try (InputStream in = Files.newInputStream(file)) {
            dicom = new DicomReader().read(in);
        }
        DecodedImage image = DicomPixels.decode(dicom, PixelOptions.defaults());
        assertThat(image.rows()).isEqualTo(dicom.dataset().getUnsignedShort(Tag.ROWS, -1));
        assertThat(image.columns()).isEqualTo(dicom.dataset().getUnsignedShort(Tag.COLUMNS, -1));
        if (!modality.isEmpty()) {
            assertThat(dicom.dataset().getString(Tag.MODALITY)).isEqualTo(modality);
            assertThat(image.rows()).isEqualTo(rows);
            assertThat(image.columns()).isEqualTo(columns);
        }
        // A real image is not one flat grey.
        int min = 255;
        int max = 0;
        for (int y = 0; y < image.rows(); y++) {
            for (int x = 0; x < image.columns(); x++) {
                int v = image.gray().getRaster().getSample(x, y, 0);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertThat(max - min).as("contrast of %s", name).isGreaterThan(40);
    }

    /**
     * Refused with the reason: pydicom's no_meta.dcm, whose data set starts one byte into a tag
     * (dcmtk's dcmdump fails on it too: "Unknown Tag & Data (0820,0500) larger than remaining bytes").
     */
    @ParameterizedTest
    @CsvSource({"pydicom/no_meta.dcm, Truncated"})
    void refusesWithAReason(String name, String reason) throws Exception {
        Path file = SAMPLES.resolve(name);
        assumeTrue(Files.isRegularFile(file), "SKIPPED: " + file + " is absent (../shared/dicom-samples is not beside this checkout)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                DicomPixels.decode(new DicomReader().read(in), PixelOptions.defaults());
            }
        }).isInstanceOf(io.lungflow.dicom.DicomException.class).hasMessageContaining(reason);
    }
}
