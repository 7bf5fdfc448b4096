package io.virga.cli.http;

/** The API could not be reached at all (connection refused, unknown host, timeout). */
public final class Unreachable extends RuntimeException {
    public Unreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
