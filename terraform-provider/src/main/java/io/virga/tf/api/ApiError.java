package io.virga.tf.api;

/** A refused or failed call to the Virga API: the HTTP status and the problem's words. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
