package io.virga.storage.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code sim} backend: volumes and snapshots exist in memory only (for
 * scale tests and the sim hypervisor). It keeps the same rules as a real
 * backend (sources must exist, extend grows only) so that the services'
 * behaviour is the same. Its memory is lost on restart: the reconciler then
 * rebuilds what the rows say (every operation is idempotent).
 */
public final class SimBackend implements VolumeBackend {
    private static final long GIB = 1L << 30;

    private record SimVolume(int sizeGb, List<String> snapshots) {
    }

    private final Map<String, SimVolume> volumes = new ConcurrentHashMap<>();
    private final long capacityBytes;

    public SimBackend(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    @Override
    public String name() {
        return "sim";
    }

    private SimVolume existing(String volumeId) {
        SimVolume v = volumes.get(volumeId);
        if (v == null) {
            throw new BackendException("volume " + volumeId + " has no data");
        }
        return v;
    }

    @Override
    public void create(String volumeId, int sizeGb, VolumeSource source) {
        if (source instanceof VolumeSource.Clone c) {
            existing(c.volumeId());
        } else if (source instanceof VolumeSource.Snapshot s && !existing(s.volumeId()).snapshots().contains(s.snapshotId())) {
            throw new BackendException("snapshot " + s.snapshotId() + " has no data");
        }
        volumes.putIfAbsent(volumeId, new SimVolume(sizeGb, new ArrayList<>()));
    }

    @Override
    public void extend(String volumeId, int sizeGb) {
        volumes.computeIfPresent(volumeId, (id, v) -> v.sizeGb() >= sizeGb ? v : new SimVolume(sizeGb, v.snapshots()));
        existing(volumeId);
    }

    @Override
    public void delete(String volumeId) {
        volumes.remove(volumeId);
    }

    @Override
    public void createSnapshot(String volumeId, String snapshotId, List<String> chain) {
        List<String> snaps = existing(volumeId).snapshots();
        synchronized (snaps) {
            if (!snaps.contains(snapshotId)) {
                snaps.add(snapshotId);
            }
        }
    }

    @Override
    public void deleteSnapshot(String volumeId, String snapshotId, List<String> chain) {
        SimVolume v = volumes.get(volumeId);
        if (v != null) {
            synchronized (v.snapshots()) {
                v.snapshots().remove(snapshotId);
            }
        }
    }

    @Override
    public void revert(String volumeId, String snapshotId, int sizeGb) {
        if (!existing(volumeId).snapshots().contains(snapshotId)) {
            throw new BackendException("snapshot " + snapshotId + " has no data");
        }
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
        return new Physical(capacityBytes, capacityBytes - volumes.values().stream().mapToLong(v -> v.sizeGb() * GIB).sum());
    }

    @Override
    public Set<String> volumeIds() {
        return Set.copyOf(volumes.keySet());
    }

    /** Test hook: the simulated memory is lost (as after a restart of the process). */
    public void forget() {
        volumes.clear();
    }

}
