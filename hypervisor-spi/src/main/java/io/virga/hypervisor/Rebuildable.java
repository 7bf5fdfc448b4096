package io.virga.hypervisor;

/**
 * Optional capability: give an existing guest a new boot image and boot it again, keeping its identity,
 * NICs (MACs and addresses) and resources. Trait {@link Traits#REBUILD}.
 */
public interface Rebuildable {

    /**
     * Stops the guest (hard), replaces its boot disk (and boot source) with those of {@code spec}, and
     * boots it, blocking until it runs. {@code spec} must have the guest's instance id, vCPUs, RAM and
     * interfaces; its boot disk and boot source are what change. The old local disk is removed.
     *
     * <p>On failure the guest is left SHUTDOWN (never half-built) and the call may be repeated.
     *
     * @throws GuestNotFoundException for an unknown guest
     * @throws GuestConflictException when the guest is BUILDING, or {@code spec} changes more than the image
     * @throws HypervisorException    when the new disk cannot be made or the guest does not boot
     */
    GuestStatus rebuild(GuestSpec spec);
}
