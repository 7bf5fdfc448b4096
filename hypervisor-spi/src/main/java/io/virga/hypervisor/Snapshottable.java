package io.virga.hypervisor;

import java.io.OutputStream;

/**
 * Optional capability: copy a guest's boot disk out as a standalone image. Trait
 * {@link Traits#SNAPSHOT}.
 */
public interface Snapshottable {

    /**
     * Writes a standalone image of the guest's boot disk (no backing file) to {@code out}: for a VM a
     * {@link DiskFormat#QCOW2} image, for a container a {@link DiskFormat#TAR} of its root filesystem.
     * The image is consistent: a running guest is paused (or its filesystem frozen) while the point in
     * time is taken, and afterwards is in the power state it had before.
     *
     * <p>Leaves no temporary files behind, whether it succeeds or fails. Does not close {@code out}.
     *
     * @return the format written
     * @throws GuestNotFoundException for an unknown guest
     * @throws GuestConflictException when the guest is BUILDING or has no boot disk
     * @throws HypervisorException    when the copy fails (what was written to {@code out} is then garbage)
     */
    DiskFormat snapshot(String instanceId, OutputStream out);
}
