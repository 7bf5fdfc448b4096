package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;
import static io.virga.platform.grpc.GrpcErrors.invalidArgument;
import static io.virga.platform.grpc.GrpcErrors.notFound;

import io.virga.platform.db.Tx;
import io.virga.storage.Fields;
import io.virga.storage.backend.Backends;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The admin's way out for a volume stuck after a failure nobody rolled back
 * (Cinder's {@code reset-state}): the volume's status is set, its claim
 * (resume_status, target size, pending instance) dropped, and the reason kept
 * in {@code error} ("reset from ATTACHING to AVAILABLE by an admin").
 *
 * <pre>
 * to        | what else changes
 * ----------+----------------------------------------------------------------------
 * AVAILABLE | attachments dropped (the admin states it is attached to nothing);
 *           | snapshots CREATING / DELETING of it become ERROR
 * ERROR     | attachments kept (a detach, or delete with force, ends them);
 *           | snapshots CREATING / DELETING of it become ERROR
 * </pre>
 *
 * <p>Refused, changing nothing: INVALID_ARGUMENT a status other than
 * {@code available} / {@code error}; NOT_FOUND another project's volume;
 * FAILED_PRECONDITION a boot volume record to AVAILABLE (it follows its
 * instance), or a volume whose operation is running in this storage-svc right
 * now (it is not stuck: wait for it). Reset is not a repair of data: the
 * auditor tells whether the data matches afterwards.
 */
@ApplicationScoped
public class StateReset {
    private final Tx tx;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeWorker worker;

    public StateReset(Tx tx, VolumeRepository volumes, SnapshotRepository snapshots, VolumeWorker worker) {
        this.tx = tx;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.worker = worker;
    }

    /** The statuses a reset may set. */
    static VolumeStatus target(String wire) {
        String s = wire == null ? "" : wire.trim().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "AVAILABLE" -> VolumeStatus.AVAILABLE;
            case "ERROR" -> VolumeStatus.ERROR;
            default -> throw invalidArgument("status", "must be available or error, got '" + wire + "'");
        };
    }

    /** Resets the volume to {@code status} (see the table above); answers it as it is now. */
    public Volume reset(String projectId, String volumeId, String status) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        VolumeStatus to = target(status);
        return tx.run(c -> {
            Volume v = volumes.find(c, project, id, true).orElseThrow(() -> notFound("volume", id));
            if (to == VolumeStatus.AVAILABLE && Backends.RECORD.equals(v.backend())) {
                throw failedPrecondition("volume " + id + " is a boot volume record; it follows its instance and can "
                        + "only be reset to error");
            }
            boolean workerOwned = v.status() == VolumeStatus.CREATING || v.status() == VolumeStatus.SNAPSHOTTING
                    || v.status() == VolumeStatus.REVERTING || v.status() == VolumeStatus.DELETING
                    || (v.status() == VolumeStatus.EXTENDING && v.resumeStatus() == VolumeStatus.AVAILABLE);
            if (workerOwned && worker.running(id)) {
                throw failedPrecondition("volume " + id + " is " + v.status() + " and its operation is running now; "
                        + "it is not stuck, wait for it");
            }
            String why = "reset from " + v.status() + " to " + to + " by an admin"
                    + (v.error() == null ? "" : " (last error: " + v.error() + ")");
            Volume next = v.settle(to, v.sizeGb(), why);
            if (to == VolumeStatus.AVAILABLE) {
                for (String instance : v.attachments()) {
                    volumes.removeAttachment(c, id, instance);
                }
                next = next.attachedTo(VolumeStatus.AVAILABLE, null, java.util.List.of());
            }
            volumes.update(c, next);
            for (Snapshot s : snapshots.ofVolume(c, id)) {
                if (s.status() == SnapshotStatus.CREATING || s.status() == SnapshotStatus.DELETING) {
                    snapshots.update(c, s.with(SnapshotStatus.ERROR, "its volume was reset by an admin while it was "
                            + s.status()));
                }
            }
            return volumes.find(c, project, id, false).orElseThrow();
        });
    }
}
