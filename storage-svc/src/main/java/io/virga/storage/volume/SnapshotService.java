package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;
import static io.virga.platform.grpc.GrpcErrors.notFound;

import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import io.virga.storage.Fields;
import io.virga.storage.quota.VolumeQuotas;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Snapshots of volumes. Creating and deleting one claims both the snapshot
 * row and its volume (SNAPSHOTTING) in a short transaction; the backend work
 * ({@link VolumeOps#snapshot}, {@link VolumeOps#deleteSnapshot}) runs on the
 * worker. Only unattached (AVAILABLE) volumes take snapshot changes: the
 * file backend rewrites the chain under the volume's file.
 */
@ApplicationScoped
public class SnapshotService {
    private final Tx tx;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeOps ops;
    private final VolumeWorker worker;
    private final VolumeQuotas quotas;

    public SnapshotService(Tx tx, SnapshotRepository snapshots, VolumeRepository volumes, VolumeOps ops,
            VolumeWorker worker, VolumeQuotas quotas) {
        this.quotas = quotas;
        this.tx = tx;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.ops = ops;
        this.worker = worker;
    }

    /** A new snapshot (CREATING, then AVAILABLE or ERROR). FAILED_PRECONDITION unless the volume is AVAILABLE; RESOURCE_EXHAUSTED over the snapshots quota. */
    public Snapshot create(String projectId, String volumeId, String name) {
        String project = Fields.reference("project_id", projectId);
        String vid = Fields.id("volume_id", volumeId);
        String label = Fields.text("name", name == null ? "" : name, 0, 128);
        Snapshot made = tx.run(c -> {
            Volume v = volumes.find(c, project, vid, true).orElseThrow(() -> notFound("volume", vid));
            VolumeService.requireData(v, "snapshotted");
            if (v.status() != VolumeStatus.AVAILABLE) {
                throw VolumeService.busy(v, "snapshotted" + (v.status() == VolumeStatus.IN_USE
                        ? " (snapshots of attached volumes are not supported: detach it first)" : ""));
            }
            quotas.reserve(c, project, new VolumeQuotas.Figures(0, 0, 1));
            Snapshot s = new Snapshot(Ids.newId("snap"), project, vid, label, v.sizeGb(), SnapshotStatus.CREATING,
                    null, Instant.now().truncatedTo(ChronoUnit.MICROS));
            snapshots.insert(c, s);
            volumes.update(c, v.claim(VolumeStatus.SNAPSHOTTING, null, null));
            return s;
        });
        worker.submit(vid, "snapshot", () -> ops.snapshot(made.id()));
        return made;
    }

    public Snapshot get(String projectId, String snapshotId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", snapshotId);
        return tx.run(c -> snapshots.find(c, project, id, false).orElseThrow(() -> notFound("snapshot", id)));
    }

    /** The project's snapshots (of one volume when {@code volumeId} is not empty), oldest first. */
    public List<Snapshot> list(String projectId, String volumeId) {
        String project = Fields.reference("project_id", projectId);
        return tx.run(c -> {
            if (volumeId == null || volumeId.isEmpty()) {
                return snapshots.ofProject(c, project);
            }
            volumes.find(c, project, volumeId, false).orElseThrow(() -> notFound("volume", volumeId));
            return snapshots.ofVolume(c, volumeId);
        });
    }

    /**
     * Deletes a snapshot (DELETING, then gone; its data merges into the next
     * snapshot or the volume). Idempotent: an unknown snapshot answers 0.
     * FAILED_PRECONDITION when its volume is not AVAILABLE.
     */
    public int delete(String projectId, String snapshotId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", snapshotId);
        Snapshot claimed = tx.run(c -> {
            Snapshot s = snapshots.find(c, project, id, true).orElse(null);
            if (s == null) {
                return null;
            }
            Volume v = volumes.lock(c, s.volumeId()).orElseThrow(() -> new IllegalStateException("orphan " + id));
            if (s.status() == SnapshotStatus.DELETING) {
                return s;
            }
            if (s.status() == SnapshotStatus.CREATING || v.status() != VolumeStatus.AVAILABLE) {
                throw failedPrecondition("snapshot " + id + " cannot be deleted now: it is " + s.status()
                        + " and its volume " + v.id() + " is " + v.status()
                        + (v.status() == VolumeStatus.IN_USE ? " (detach it first)" : ""));
            }
            Snapshot next = s.with(SnapshotStatus.DELETING, null);
            snapshots.update(c, next);
            volumes.update(c, v.claim(VolumeStatus.SNAPSHOTTING, null, null));
            return next;
        });
        if (claimed == null) {
            return 0;
        }
        worker.submit(claimed.volumeId(), "delete snapshot", () -> ops.deleteSnapshot(id));
        return 1;
    }
}
