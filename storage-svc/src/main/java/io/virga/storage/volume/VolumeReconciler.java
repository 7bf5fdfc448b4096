package io.virga.storage.volume;

import io.quarkus.runtime.StartupEvent;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * After a restart of storage-svc (a crash at any point of any operation),
 * finishes every claim storage-svc owns: CREATING, EXTENDING of an
 * unattached volume, SNAPSHOTTING, REVERTING and DELETING rows are queued on
 * the worker again; the backend operations are idempotent, so a half-done
 * copy or rename is redone or found done. ATTACHING, DETACHING and EXTENDING
 * of an attached volume are claims of gateway workflows, which end them.
 */
@ApplicationScoped
public class VolumeReconciler {
    private static final Logger LOG = Logger.getLogger(VolumeReconciler.class);

    private final Tx tx;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeOps ops;
    private final VolumeWorker worker;

    public VolumeReconciler(Tx tx, VolumeRepository volumes, SnapshotRepository snapshots, VolumeOps ops,
            VolumeWorker worker) {
        this.tx = tx;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.ops = ops;
        this.worker = worker;
    }

    void onStart(@Observes StartupEvent event) {
        int queued = reconcile().size();
        if (queued > 0) {
            LOG.infof("reconciler: resumed %d volume operation(s) left by the previous run", queued);
        }
    }

    /** Queues the unfinished operations again; the futures end when they are done. */
    public List<CompletableFuture<Void>> reconcile() {
        List<Volume> pending = tx.run(c -> volumes.inStatus(c, List.of(VolumeStatus.CREATING,
                VolumeStatus.EXTENDING, VolumeStatus.SNAPSHOTTING, VolumeStatus.REVERTING, VolumeStatus.DELETING)));
        List<Snapshot> snaps = tx.run(c -> {
            List<Snapshot> all = new java.util.ArrayList<>(snapshots.inStatus(c, SnapshotStatus.CREATING));
            all.addAll(snapshots.inStatus(c, SnapshotStatus.DELETING));
            return all;
        });
        List<CompletableFuture<Void>> out = new java.util.ArrayList<>();
        for (Volume v : pending) {
            String id = v.id();
            switch (v.status()) {
                case CREATING -> out.add(worker.submit(id, "build", () -> ops.build(id)));
                case EXTENDING -> {
                    if (v.resumeStatus() != VolumeStatus.IN_USE) {
                        out.add(worker.submit(id, "extend", () -> ops.extend(id)));
                    }
                }
                case REVERTING -> out.add(worker.submit(id, "revert", () -> ops.revert(id)));
                case DELETING -> out.add(worker.submit(id, "delete", () -> ops.remove(id)));
                case SNAPSHOTTING -> {
                    List<Snapshot> mine = snaps.stream().filter(s -> s.volumeId().equals(id)).toList();
                    if (mine.isEmpty()) {
                        out.add(worker.submit(id, "release", () -> ops.releaseSnapshotClaim(id)));
                    }
                    for (Snapshot s : mine) {
                        out.add(worker.submit(id, "snapshot", s.status() == SnapshotStatus.CREATING
                                ? () -> ops.snapshot(s.id()) : () -> ops.deleteSnapshot(s.id())));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }
}
