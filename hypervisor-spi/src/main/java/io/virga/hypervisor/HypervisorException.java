package io.virga.hypervisor;

/**
 * A driver could not do what was asked. The message is written for a person
 * (an operator or the owner of the instance): it says what was wrong, e.g.
 * {@code "host-1 has 2048 MB RAM free, guest needs 4096 MB"}.
 *
 * <p>Subclasses say why when callers steer on it: {@link CapacityExceededException},
 * {@link GuestNotFoundException}, {@link GuestConflictException}.
 */
public class HypervisorException extends RuntimeException {
    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
