package io.lungflow.inference.engine;

/** A model version could not be fetched, verified, loaded or warmed up; the message says which and why. */
public class ModelLoadException extends Exception {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
