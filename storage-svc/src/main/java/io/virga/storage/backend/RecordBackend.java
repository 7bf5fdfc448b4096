package io.virga.storage.backend;

import java.util.List;
import java.util.Set;

/**
 * The backend of volume records without data of their own: boot volumes the
 * compute node builds itself (a local overlay on the image). Every operation
 * is a no-op; such volumes cannot be attached, snapshotted or cloned.
 */
final class RecordBackend implements VolumeBackend {

    @Override
    public String name() {
        return Backends.RECORD;
    }

    @Override
    public void create(String volumeId, int sizeGb, VolumeSource source) {
    }

    @Override
    public void extend(String volumeId, int sizeGb) {
    }

    @Override
    public void delete(String volumeId) {
    }

    @Override
    public void createSnapshot(String volumeId, String snapshotId, List<String> chain) {
        throw new BackendException("a boot volume record has no data to snapshot");
    }

    @Override
    public void deleteSnapshot(String volumeId, String snapshotId, List<String> chain) {
    }

    @Override
    public void revert(String volumeId, String snapshotId, int sizeGb) {
        throw new BackendException("a boot volume record has no data to revert");
    }

    @Override
    public Location locate(String volumeId) {
        return new Location(null, "qcow2");
    }

    @Override
    public long allocatedBytes(String volumeId) {
        return 0;
    }

    @Override
    public Physical physical() {
        return new Physical(0, 0);
    }

    @Override
    public Set<String> volumeIds() {
        return Set.of();
    }
}
