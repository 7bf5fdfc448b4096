package io.virga.hypervisor;

/**
 * Optional capability: power a guest off and on. Trait {@link Traits#POWER_CONTROL}.
 *
 * <p>Every method: throws {@link GuestNotFoundException} for an unknown guest,
 * {@link GuestConflictException} when the guest's power state does not allow
 * the operation (the guest is then unchanged), and returns the guest's status
 * afterwards. A stopped guest keeps its resources (see {@link Hypervisor}).
 */
public interface PowerControl {

    /**
     * Powers the guest off (RUNNING, PAUSED, SUSPENDED or CRASHED → SHUTDOWN).
     * Idempotent: a SHUTDOWN guest stays so.
     */
    GuestStatus stop(String instanceId);

    /**
     * Boots a stopped guest (SHUTDOWN or CRASHED → RUNNING), blocking until it
     * runs. Idempotent: a RUNNING guest stays so. A PAUSED or SUSPENDED guest is a
     * conflict (resume it instead).
     */
    GuestStatus start(String instanceId);

    /** Restarts a RUNNING guest (RUNNING → RUNNING, new {@code startedAt}). Any other state is a conflict. */
    GuestStatus reboot(String instanceId);

    /**
     * Asks the guest to power itself off (ACPI power button for a VM, SIGTERM to a container's init),
     * waits up to {@code grace} for it, then forces it off as {@link #stop(String)} does. Same states,
     * idempotency and errors as {@link #stop(String)}. Drivers without a graceful path stop at once.
     */
    default GuestStatus shutdown(String instanceId, java.time.Duration grace) {
        return stop(instanceId);
    }

    /**
     * A soft reboot asks the guest to restart itself (ACPI / signal) and forces it after {@code grace};
     * a hard one resets it at once, as {@link #reboot(String)} does. Same states and errors.
     */
    default GuestStatus reboot(String instanceId, boolean hard, java.time.Duration grace) {
        return reboot(instanceId);
    }
}
