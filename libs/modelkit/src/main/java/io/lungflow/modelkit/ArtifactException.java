package io.lungflow.modelkit;

/** A model version's files are missing, altered, or do not describe a usable model. */
public class ArtifactException extends Exception {

    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
