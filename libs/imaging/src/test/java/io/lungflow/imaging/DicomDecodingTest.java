package io.lungflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.Tag;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DICOM reaches the model through the same decoding as PNG and JPEG. */
class DicomDecodingTest {

    @Test
    void aCtSliceDecodesToItsLungWindowedGrayscale() throws Exception {
        byte[] pixels = new byte[6 * 4 * 2];
        for (int i = 0; i < 24; i++) {
            int stored = i < 12 ? 0 : 2024; // −1024 HU (air) on the left half, +1000 HU (bone) on the right
            pixels[2 * i] = (byte) stored;
            pixels[2 * i + 1] = (byte) (stored >> 8);
        }
        Attributes a = new Attributes()
                .putString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.2")
                .putString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3")
                .putString(Tag.MODALITY, VR.CS, "CT")
                .putUnsignedShort(Tag.SAMPLES_PER_PIXEL, 1)
                .putString(Tag.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .putUnsignedShort(Tag.ROWS, 4).putUnsignedShort(Tag.COLUMNS, 6)
                .putUnsignedShort(Tag.BITS_ALLOCATED, 16).putUnsignedShort(Tag.BITS_STORED, 16).putUnsignedShort(Tag.HIGH_BIT, 15)
                .putUnsignedShort(Tag.PIXEL_REPRESENTATION, 1)
                .putString(Tag.RESCALE_INTERCEPT, VR.DS, "-1024").putString(Tag.RESCALE_SLOPE, VR.DS, "1")
                .putBytes(Tag.PIXEL_DATA, VR.OW, pixels);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        new DicomWriter().write(file, a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        assertThat(ImageDecoding.isDicom(file.toByteArray())).isTrue();
        GrayImage image = ImageDecoding.decode(file.toByteArray());

        assertThat(image.width()).isEqualTo(6);
        assertThat(image.height()).isEqualTo(4);
        assertThat(image.get(0, 0)).isEqualTo(55);   // −1024 HU in the −600/1500 window
        assertThat(image.get(5, 3)).isEqualTo(255);  // +1000 HU
        assertThatThrownBy(() -> ImageDecoding.decode(Arrays.copyOf(file.toByteArray(), file.size() - 10)))
                .isInstanceOf(UndecodableImageException.class).hasMessageContaining("DICOM");
    }
}
