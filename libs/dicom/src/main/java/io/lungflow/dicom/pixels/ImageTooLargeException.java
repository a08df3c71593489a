package io.lungflow.dicom.pixels;

/** An image beyond {@link ImageLimits}: refused before its pixels are decoded (or, for DICOM, read). The message says which limit. */
public class ImageTooLargeException extends RuntimeException {

    public ImageTooLargeException(String message) {
        super(message);
    }
}
