package io.lungflow.imaging;

/** The bytes are not an image this library can decode; the message says why. */
public class UndecodableImageException extends Exception {

    public UndecodableImageException(String message) {
        super(message);
    }

    public UndecodableImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
