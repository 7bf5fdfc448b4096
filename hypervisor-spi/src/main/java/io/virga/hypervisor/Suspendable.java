package io.virga.hypervisor;

/**
 * Optional capability: save a guest's memory to disk and stop its process, and bring it back where it
 * was. Trait {@link Traits#SUSPEND}.
 *
 * <p>Every method: throws {@link GuestNotFoundException} for an unknown guest,
 * {@link GuestConflictException} when the guest's power state does not allow the operation (the guest is
 * then unchanged), and returns its status afterwards. A suspended guest keeps its resources.
 * The saved state survives a restart of the driver's process.
 */
public interface Suspendable {

    /** RUNNING or PAUSED → SUSPENDED; blocks until the state is saved. Idempotent: SUSPENDED stays so. */
    GuestStatus suspend(String instanceId);

    /**
     * SUSPENDED → RUNNING from the saved state (its memory and processes as they were); blocks until it
     * runs and removes the saved state. Idempotent: a RUNNING guest stays so.
     */
    GuestStatus resumeSuspended(String instanceId);
}
