package io.virga.storage.volume;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Lifecycle of a volume, in one declared table. Transient states (marked *)
 * are claims: a short transaction sets them, the work (backend I/O, or the
 * gateway's hot-plug on a host) runs outside any transaction, and a second
 * short transaction ends them. Every failure ends in a state with an action
 * the user can take.
 *
 * <pre>
 * from          | to                    | by
 * --------------+-----------------------+------------------------------------------------------
 * (none)        | CREATING*             | CreateVolume (blank, image, snapshot, clone)
 * (none)        | IN_USE                | CreateVolume with owner_id (boot volume record)
 * CREATING*     | AVAILABLE             | backend built it
 * CREATING*     | ERROR                 | backend failed (partial data removed) → user: delete
 * AVAILABLE     | ATTACHING*            | BeginAttach (gateway attach workflow)
 * IN_USE        | ATTACHING*            | BeginAttach of a multiattach volume
 * ATTACHING*    | IN_USE                | EndAttach succeeded
 * ATTACHING*    | AVAILABLE, IN_USE     | EndAttach failed: back to where it was → user: retry
 * IN_USE        | DETACHING*            | BeginDetach
 * DETACHING*    | AVAILABLE, IN_USE     | EndDetach succeeded (IN_USE: other attachments remain)
 * DETACHING*    | IN_USE                | EndDetach failed → user: retry detach
 * AVAILABLE     | EXTENDING*            | ExtendVolume (storage-svc resizes the file)
 * IN_USE        | EXTENDING*            | ExtendVolume (gateway resizes in the guest, then EndExtend)
 * EXTENDING*    | AVAILABLE, IN_USE     | done (new size) or failed (old size, error kept) → retry
 * AVAILABLE     | SNAPSHOTTING*         | CreateSnapshot
 * SNAPSHOTTING* | AVAILABLE             | done (snapshot AVAILABLE) or failed (snapshot ERROR)
 * AVAILABLE     | REVERTING*            | RevertVolume
 * REVERTING*    | AVAILABLE             | done, or failed (error kept; data of the snapshot intact) → retry
 * AVAILABLE, ERROR | DELETING*          | DeleteVolume
 * DELETING*     | (gone)                | backend released it
 * DELETING*     | ERROR                 | backend failed → user: delete again
 * IN_USE, any*  | DELETING* / (gone)    | DeleteVolume with force, DeleteVolumesByOwner (admin reset)
 * any           | AVAILABLE, ERROR      | ResetVolumeState (cloud admin, {@link StateReset}): claim
 *               |                       | dropped; AVAILABLE also drops the attachments
 * </pre>
 * (ResetVolumeState writes the row directly; it is the admin's override of this table.)
 *
 * After a crash of storage-svc, {@code VolumeReconciler} re-runs CREATING,
 * EXTENDING (of an unattached volume), SNAPSHOTTING, REVERTING and DELETING
 * (each backend operation is idempotent). ATTACHING, DETACHING and EXTENDING
 * of an attached volume belong to the gateway's workflows, which resume or
 * roll back on their own.
 */
public enum VolumeStatus {
    CREATING, AVAILABLE, ATTACHING, IN_USE, DETACHING, EXTENDING, SNAPSHOTTING, REVERTING, DELETING, ERROR;

    private static final Map<VolumeStatus, Set<VolumeStatus>> NEXT = Map.of(
            CREATING, EnumSet.of(AVAILABLE, IN_USE, ERROR, DELETING),
            AVAILABLE, EnumSet.of(ATTACHING, IN_USE, EXTENDING, SNAPSHOTTING, REVERTING, DELETING),
            ATTACHING, EnumSet.of(IN_USE, AVAILABLE, DELETING),
            IN_USE, EnumSet.of(ATTACHING, DETACHING, EXTENDING, AVAILABLE, DELETING),
            DETACHING, EnumSet.of(AVAILABLE, IN_USE, DELETING),
            EXTENDING, EnumSet.of(AVAILABLE, IN_USE, DELETING),
            SNAPSHOTTING, EnumSet.of(AVAILABLE, DELETING),
            REVERTING, EnumSet.of(AVAILABLE, DELETING),
            DELETING, EnumSet.of(ERROR),
            ERROR, EnumSet.of(DELETING));

    public boolean canBecome(VolumeStatus target) {
        return NEXT.get(this).contains(target);
    }

    /** A claim some operation holds: nothing else may start on the volume. */
    public boolean transientState() {
        return this == CREATING || this == ATTACHING || this == DETACHING || this == EXTENDING
                || this == SNAPSHOTTING || this == REVERTING || this == DELETING;
    }

    /** True when deleting a volume in this status needs {@code force}: it is attached or busy. */
    public boolean deleteNeedsForce() {
        return this != AVAILABLE && this != ERROR;
    }
}
