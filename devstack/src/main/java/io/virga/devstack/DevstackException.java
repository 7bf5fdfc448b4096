package io.virga.devstack;

/**
 * A piece of the local infrastructure could not be started, reached or stopped.
 * The message names the component and, where there is one, its log file and the
 * last lines of that log.
 */
public class DevstackException extends RuntimeException {

    public DevstackException(String message) {
        super(message);
    }

    public DevstackException(String message, Throwable cause) {
        super(message, cause);
    }
}
