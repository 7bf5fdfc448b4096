package io.virga.storage.volume;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Lifecycle of a volume. Declared transitions:
 *
 * <pre>
 * from       | to         | by
 * -----------+------------+------------------------------------------------
 * (none)     | AVAILABLE  | CreateVolume without owner_id
 * (none)     | IN_USE     | CreateVolume with owner_id (e.g. a boot volume)
 * (none)     | CREATING   | a backend that provisions asynchronously (none yet)
 * CREATING   | AVAILABLE, IN_USE, ERROR | that backend finishing
 * AVAILABLE  | IN_USE     | attach (future)
 * IN_USE     | AVAILABLE  | DeleteVolumesByOwner for a volume kept after its owner
 * AVAILABLE, ERROR | (gone) | DeleteVolume
 * IN_USE, CREATING, DELETING | (gone) | DeleteVolume with force, DeleteVolumesByOwner
 * </pre>
 */
public enum VolumeStatus {
    CREATING, AVAILABLE, IN_USE, DELETING, ERROR;

    private static final Map<VolumeStatus, Set<VolumeStatus>> NEXT = Map.of(
            CREATING, EnumSet.of(AVAILABLE, IN_USE, ERROR, DELETING),
            AVAILABLE, EnumSet.of(IN_USE, DELETING),
            IN_USE, EnumSet.of(AVAILABLE, DELETING),
            ERROR, EnumSet.of(DELETING),
            DELETING, EnumSet.noneOf(VolumeStatus.class));

    public boolean canBecome(VolumeStatus target) {
        return NEXT.get(this).contains(target);
    }

    /** True when deleting a volume in this status needs {@code force}: it is attached or busy. */
    public boolean deleteNeedsForce() {
        return this == IN_USE || this == CREATING || this == DELETING;
    }
}
