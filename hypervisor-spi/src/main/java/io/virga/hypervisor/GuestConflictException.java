package io.virga.hypervisor;

/**
 * The guest's current state conflicts with the request: its power state does
 * not allow the operation (see the table in {@link PowerState}), e.g. rebooting
 * a guest that is shut down, or the instance id already exists with a
 * different spec.
 */
public class GuestConflictException extends HypervisorException {
    public GuestConflictException(String message) {
        super(message);
    }
}
