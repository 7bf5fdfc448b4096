package io.virga.storage.volume;

import io.virga.contracts.events.v1.VolumeChanged;
import io.virga.platform.db.Tx;
import io.virga.platform.events.Topics;
import io.virga.storage.StorageEventing;
import io.virga.storage.backend.Backends;
import io.virga.storage.backend.VolumeBackend;
import io.virga.storage.backend.VolumeBackend.VolumeSource;
import io.virga.storage.image.Image;
import io.virga.storage.image.ImageFiles;
import io.virga.storage.image.ImageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The second half of every volume operation: the row is already claimed (a
 * transient status committed by {@link VolumeService} / {@link SnapshotService}),
 * this does the backend I/O with no transaction open, then records the outcome
 * in one short transaction. Each method is safe to run again after a crash
 * ({@link VolumeReconciler}): it re-reads the claim and does nothing when the
 * row is no longer in the expected state.
 */
@ApplicationScoped
public class VolumeOps {
    private static final Logger LOG = Logger.getLogger(VolumeOps.class);

    private final Tx tx;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final ImageRepository images;
    private final ImageFiles imageFiles;
    private final Backends backends;
    private final StorageEventing eventing;

    public VolumeOps(Tx tx, VolumeRepository volumes, SnapshotRepository snapshots, ImageRepository images,
            ImageFiles imageFiles, Backends backends, StorageEventing eventing) {
        this.tx = tx;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.images = images;
        this.imageFiles = imageFiles;
        this.backends = backends;
        this.eventing = eventing;
    }

    private record Claim(Volume volume, VolumeSource source, Snapshot snapshot, List<String> chain) {
    }

    private Optional<Volume> claimed(Connection c, String id, VolumeStatus expected) throws SQLException {
        return volumes.lock(c, id).filter(v -> v.status() == expected);
    }

    /** CREATING → AVAILABLE (or ERROR, with nothing left behind). */
    public void build(String id) {
        Claim claim = tx.run(c -> claimed(c, id, VolumeStatus.CREATING).map(v -> {
            try {
                return new Claim(v, source(c, v), null, List.of());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(null));
        if (claim == null) {
            return;
        }
        Volume v = claim.volume();
        end(id, VolumeStatus.CREATING, () -> io(v).create(id, v.sizeGb(), claim.source()),
                done -> done.settle(VolumeStatus.AVAILABLE, done.sizeGb(), null),
                (failed, why) -> failed.settle(VolumeStatus.ERROR, failed.sizeGb(), why));
    }

    private VolumeSource source(Connection c, Volume v) throws SQLException {
        if (v.snapshotId() != null) {
            Snapshot s = snapshots.find(c, null, v.snapshotId(), false).orElseThrow(
                    () -> new IllegalStateException("snapshot " + v.snapshotId() + " vanished"));
            return new VolumeSource.Snapshot(s.volumeId(), s.id());
        }
        if (v.sourceVolumeId() != null) {
            return new VolumeSource.Clone(v.sourceVolumeId());
        }
        if (v.imageId() != null) {
            Image image = images.find(c, v.imageId(), ImageRepository.Lock.NONE).orElseThrow(
                    () -> new IllegalStateException("image " + v.imageId() + " vanished"));
            return new VolumeSource.Image(imageFiles.pathOf(image.id()), image.diskFormat().wire());
        }
        return new VolumeSource.Blank();
    }

    /** EXTENDING (claimed from AVAILABLE, or ended by the gateway from IN_USE) → new size, or back with the error. */
    public void extend(String id) {
        Volume v = tx.run(c -> claimed(c, id, VolumeStatus.EXTENDING).orElse(null));
        if (v == null) {
            return;
        }
        end(id, VolumeStatus.EXTENDING, () -> io(v).extend(id, v.targetSizeGb()),
                done -> done.settle(done.resumeStatus(), done.targetSizeGb(), null), Volume::rollBack);
    }

    /** REVERTING → AVAILABLE on the data of the latest snapshot (or back with the error). */
    public void revert(String id) {
        Claim claim = tx.run(c -> {
            Optional<Volume> v = claimed(c, id, VolumeStatus.REVERTING);
            if (v.isEmpty()) {
                return null;
            }
            List<Snapshot> chain = snapshots.ofVolume(c, id);
            return new Claim(v.get(), null, chain.isEmpty() ? null : chain.get(chain.size() - 1), List.of());
        });
        if (claim == null) {
            return;
        }
        if (claim.snapshot() == null) {
            tx.run(c -> {
                volumes.update(c, claim.volume().rollBack("the volume has no snapshot to revert to"));
                return null;
            });
            return;
        }
        end(id, VolumeStatus.REVERTING,
                () -> io(claim.volume()).revert(id, claim.snapshot().id(), claim.volume().sizeGb()),
                done -> done.settle(VolumeStatus.AVAILABLE, done.sizeGb(), null), Volume::rollBack);
    }

    /** Snapshot CREATING (volume SNAPSHOTTING) → snapshot AVAILABLE, or ERROR with the volume intact. */
    public void snapshot(String snapshotId) {
        Claim claim = snapshotClaim(snapshotId, SnapshotStatus.CREATING);
        if (claim == null) {
            return;
        }
        Snapshot s = claim.snapshot();
        runSnapshot(claim, () -> io(claim.volume()).createSnapshot(s.volumeId(), s.id(), claim.chain()),
                (c, ok) -> snapshots.update(c, s.with(SnapshotStatus.AVAILABLE, null)),
                (c, why) -> snapshots.update(c, s.with(SnapshotStatus.ERROR, why)));
    }

    /** Snapshot DELETING (volume SNAPSHOTTING) → gone, its data merged into its child; or ERROR, chain intact. */
    public void deleteSnapshot(String snapshotId) {
        Claim claim = snapshotClaim(snapshotId, SnapshotStatus.DELETING);
        if (claim == null) {
            return;
        }
        Snapshot s = claim.snapshot();
        runSnapshot(claim, () -> io(claim.volume()).deleteSnapshot(s.volumeId(), s.id(), claim.chain()),
                (c, ok) -> snapshots.delete(c, s.id()),
                (c, why) -> snapshots.update(c, s.with(SnapshotStatus.ERROR, why)));
    }

    private Claim snapshotClaim(String snapshotId, SnapshotStatus expected) {
        return tx.run(c -> {
            Optional<Snapshot> s = snapshots.find(c, null, snapshotId, true).filter(x -> x.status() == expected);
            if (s.isEmpty()) {
                return null;
            }
            Optional<Volume> v = claimed(c, s.get().volumeId(), VolumeStatus.SNAPSHOTTING);
            if (v.isEmpty()) {
                return null;
            }
            List<String> chain = snapshots.ofVolume(c, v.get().id()).stream().map(Snapshot::id)
                    .filter(x -> expected == SnapshotStatus.DELETING || !x.equals(snapshotId)).toList();
            return new Claim(v.get(), null, s.get(), chain);
        });
    }

    private interface SnapshotEnd<T> {
        void apply(Connection c, T value) throws SQLException;
    }

    private void runSnapshot(Claim claim, Runnable io, SnapshotEnd<Boolean> ok, SnapshotEnd<String> failed) {
        String why = null;
        try {
            io.run();
        } catch (RuntimeException e) {
            why = message(e);
            LOG.warnf("snapshot %s of %s failed: %s", claim.snapshot().id(), claim.volume().id(), why);
        }
        String error = why;
        tx.run(c -> {
            Optional<Volume> v = claimed(c, claim.volume().id(), VolumeStatus.SNAPSHOTTING);
            if (error == null) {
                ok.apply(c, true);
                v.ifPresent(x -> update(c, x.settle(x.resumeStatus(), x.sizeGb(), null)));
            } else {
                failed.apply(c, error);
                v.ifPresent(x -> update(c, x.rollBack(error)));
            }
            return null;
        });
    }

    /** SNAPSHOTTING without a snapshot operation (a crash between the two rows' updates) → back. */
    public void releaseSnapshotClaim(String id) {
        tx.run(c -> {
            claimed(c, id, VolumeStatus.SNAPSHOTTING).ifPresent(v -> update(c, v.settle(v.resumeStatus(), v.sizeGb(), null)));
            return null;
        });
    }

    /** DELETING → gone (row, data, event), or ERROR when the backend cannot release it. */
    public void remove(String id) {
        Volume v = tx.run(c -> claimed(c, id, VolumeStatus.DELETING).orElse(null));
        if (v == null) {
            return;
        }
        try {
            io(v).delete(id);
        } catch (RuntimeException e) {
            String why = message(e);
            tx.run(c -> {
                claimed(c, id, VolumeStatus.DELETING).ifPresent(x -> update(c, x.settle(VolumeStatus.ERROR, x.sizeGb(),
                        "delete failed: " + why)));
                return null;
            });
            return;
        }
        tx.run(c -> {
            if (claimed(c, id, VolumeStatus.DELETING).isPresent()) {
                volumes.delete(c, id);
                publishDeleted(c, v);
            }
            return null;
        });
    }

    void publishDeleted(Connection c, Volume v) throws SQLException {
        VolumeChanged.Builder data = VolumeChanged.newBuilder().setVolumeId(v.id()).setProjectId(v.projectId())
                .setSizeGb(v.sizeGb()).setStatus(VolumeService.DELETED);
        if (v.ownerId() != null) {
            data.setOwnerId(v.ownerId());
        }
        eventing.append(c, Topics.STORAGE_VOLUMES, Topics.TYPE_VOLUME_DELETED, v.id(), data);
    }

    private interface Outcome {
        Volume apply(Volume v);
    }

    private interface Failure {
        Volume apply(Volume v, String why);
    }

    private void end(String id, VolumeStatus expected, Runnable io, Outcome ok, Failure failed) {
        String why = null;
        try {
            io.run();
        } catch (RuntimeException e) {
            why = message(e);
            LOG.warnf("%s of %s failed: %s", expected, id, why);
        }
        String error = why;
        tx.run(c -> {
            claimed(c, id, expected).ifPresent(v -> update(c, error == null ? ok.apply(v) : failed.apply(v, error)));
            return null;
        });
    }

    private VolumeBackend io(Volume v) {
        return backends.named(v.backend());
    }

    private void update(Connection c, Volume v) {
        try {
            volumes.update(c, v);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String message(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
