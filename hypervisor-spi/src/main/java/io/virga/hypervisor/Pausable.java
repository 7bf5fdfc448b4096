package io.virga.hypervisor;

/**
 * Optional capability: freeze a guest in memory and thaw it. Trait {@link Traits#PAUSE}.
 *
 * <p>Every method: throws {@link GuestNotFoundException} for an unknown guest,
 * {@link GuestConflictException} when the guest's power state does not allow
 * the operation (the guest is then unchanged), and returns its status afterwards.
 */
public interface Pausable {

    /** RUNNING → PAUSED. Idempotent: a PAUSED guest stays so. */
    GuestStatus pause(String instanceId);

    /** PAUSED → RUNNING, keeping {@code startedAt}. Idempotent: a RUNNING guest stays so. */
    GuestStatus resume(String instanceId);
}
