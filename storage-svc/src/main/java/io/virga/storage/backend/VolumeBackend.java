package io.virga.storage.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Where volume data lives: the small SPI between storage-svc's volume and
 * snapshot services and a storage technology ({@code file}: qcow2 files
 * through qemu-img; {@code sim}: nothing on disk; a Ceph RBD or LVM backend
 * would implement the same methods).
 *
 * <p>Contract for every method:
 * <ul>
 * <li>It is called <b>outside</b> any database transaction (it may take
 *     minutes) by one caller at a time per volume: the services claim the
 *     volume's row (a transient status) before calling, so no two operations
 *     on one volume overlap.</li>
 * <li>It is <b>idempotent</b>: the reconciler calls it again after a crash at
 *     any point, with the same arguments, and it must then finish the job (or
 *     find it done) — never fail because half of it already happened.</li>
 * <li>On failure it throws {@link BackendException} and leaves the volume's
 *     previous data intact (create: leaves nothing behind).</li>
 * <li>Sizes are GiB; snapshot chains are given oldest first, as the database
 *     records them, so the backend keeps no state the database does not.</li>
 * </ul>
 */
public interface VolumeBackend {

    /** The backend's name as stored on volume rows ({@code file}, {@code sim}). */
    String name();

    /** Makes a new volume {@code volumeId} of {@code sizeGb} holding {@code source}'s data (or zeros). */
    void create(String volumeId, int sizeGb, VolumeSource source);

    /** Grows the volume's virtual size to {@code sizeGb}; no-op when it is already that big. */
    void extend(String volumeId, int sizeGb);

    /** Releases the volume and all its snapshots. No-op for a volume without storage. */
    void delete(String volumeId);

    /**
     * Freezes the volume's current data as snapshot {@code snapshotId}; the
     * volume keeps its data and goes on changing on its own. {@code chain}
     * lists the volume's existing snapshots (oldest first, without this one).
     */
    void createSnapshot(String volumeId, String snapshotId, List<String> chain);

    /**
     * Removes snapshot {@code snapshotId} from {@code chain} (oldest first,
     * including it); the volume's data and the other snapshots stay exactly
     * as they were (data unique to the removed snapshot moves into its child).
     */
    void deleteSnapshot(String volumeId, String snapshotId, List<String> chain);

    /** Throws away the volume's changes since its latest snapshot {@code snapshotId}; keeps {@code sizeGb}. */
    void revert(String volumeId, String snapshotId, int sizeGb);

    /** How a hypervisor on this host opens the volume (file path and format). */
    Location locate(String volumeId);

    /** Bytes the volume (with its snapshots) really uses on the backend. */
    long allocatedBytes(String volumeId);

    /** Size and free space of what the backend stores on. */
    Physical physical();

    /** The volume ids the backend holds data for (the auditor compares them with the rows). */
    Set<String> volumeIds();

    /** Where a volume's bytes come from. */
    sealed interface VolumeSource {
        /** Zeros. */
        record Blank() implements VolumeSource {
        }

        /** Copy-on-write on an image file ({@code format}: qcow2 or raw). */
        record Image(Path file, String format) implements VolumeSource {
        }

        /** A full, independent copy of a snapshot of another volume. */
        record Snapshot(String volumeId, String snapshotId) implements VolumeSource {
        }

        /** A full, independent copy of another volume's current data. */
        record Clone(String volumeId) implements VolumeSource {
        }
    }

    /** Path is null for a backend with nothing on disk. */
    record Location(Path path, String format) {
    }

    record Physical(long totalBytes, long freeBytes) {
    }
}
