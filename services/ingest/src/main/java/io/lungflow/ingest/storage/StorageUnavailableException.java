package io.lungflow.ingest.storage;

/** The object store could not be reached or refused the request. */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
