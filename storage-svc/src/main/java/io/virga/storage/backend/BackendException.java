package io.virga.storage.backend;

/** A backend operation failed; the message says what and is safe to show to the volume's owner. */
public class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
