package io.virga.hypervisor;

/**
 * Optional capability: attach and detach disks while the guest runs, and tell it a disk grew. Trait
 * {@link Traits#VOLUME_HOTPLUG}.
 *
 * <p>Every method throws {@link GuestNotFoundException} for an unknown guest and returns when the guest
 * has seen the change. Disks attached here are remembered across restarts of the driver's process.
 */
public interface VolumeHotplug {

    /**
     * Plugs {@code disk} (an existing volume: {@code connection.path} set) into the guest.
     * Idempotent: the same volume attached again is a no-op.
     *
     * @throws GuestConflictException when the guest is not RUNNING or SHUTDOWN, or the disk is a boot disk
     */
    void attach(String instanceId, GuestSpec.Disk disk);

    /** Unplugs the volume; idempotent: an unknown volume is a no-op. Never deletes the volume's file. */
    void detach(String instanceId, String volumeId);

    /** Tells the running guest that the volume's file now holds {@code newSizeGb}. */
    void resized(String instanceId, String volumeId, long newSizeGb);
}
