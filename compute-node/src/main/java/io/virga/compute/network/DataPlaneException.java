package io.virga.compute.network;

/** A data-plane command failed; the message says what was being done and the tool's output. */
public class DataPlaneException extends RuntimeException {
    public DataPlaneException(String message) {
        super(message);
    }
}
