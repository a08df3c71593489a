package io.lungflow.dicom.pixels;

/**
 * How pixels become the model's grayscale: which frame of a multi-frame image (null: the middle
 * one), and the lung window CT is shown in (PS3.3 C.11.2.1.2; default centre −600 HU, width 1500).
 * Other modalities use the file's own window, or the full range of values when it has none.
 */
public record PixelOptions(Integer frame, double lungWindowCenter, double lungWindowWidth) {

    public static PixelOptions defaults() {
        return new PixelOptions(null, -600, 1500);
    }
}
