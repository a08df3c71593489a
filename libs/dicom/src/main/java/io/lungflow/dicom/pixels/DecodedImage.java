package io.lungflow.dicom.pixels;

import java.awt.image.BufferedImage;

/**
 * A decoded frame: the modality values after the rescale (Hounsfield units for CT, as floats: four bytes a pixel), the window
 * applied, and the 8-bit grayscale the model reads (MONOCHROME1 already inverted).
 */
public record DecodedImage(int rows, int columns, int frame, int frames, float[] modalityValues, double windowCenter, double windowWidth,
        BufferedImage gray) {
}
