package io.lungflow.dicom.pixels;

import java.awt.image.BufferedImage;

/**
 * A decoded frame: the modality values after the rescale (Hounsfield units for CT), the window
 * applied, and the 8-bit grayscale the model reads (MONOCHROME1 already inverted).
 */
public record DecodedImage(int rows, int columns, int frame, int frames, double[] modalityValues, double windowCenter, double windowWidth,
        BufferedImage gray) {
}
