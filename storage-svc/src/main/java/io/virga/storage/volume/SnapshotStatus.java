package io.virga.storage.volume;

/**
 * Lifecycle of a volume snapshot:
 *
 * <pre>
 * (none)    → CREATING   CreateSnapshot (the volume is SNAPSHOTTING meanwhile)
 * CREATING  → AVAILABLE  the backend froze the data
 * CREATING  → ERROR      it failed (the volume's data is intact) → user: delete
 * AVAILABLE, ERROR → DELETING  DeleteSnapshot (the volume is SNAPSHOTTING meanwhile)
 * DELETING  → (gone)     its data moved into its child, its file removed
 * DELETING  → ERROR      it failed (chain intact) → user: delete again
 * </pre>
 */
public enum SnapshotStatus {
    CREATING, AVAILABLE, DELETING, ERROR
}
