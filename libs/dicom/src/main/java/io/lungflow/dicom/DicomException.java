package io.lungflow.dicom;

/** A DICOM stream that is malformed, truncated, too large, or in an encoding lungflow does not read; the message says which and where. */
public class DicomException extends Exception {

    public DicomException(String message) {
        super(message);
    }

    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
