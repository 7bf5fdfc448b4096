package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;
import static io.virga.platform.grpc.GrpcErrors.invalidArgument;
import static io.virga.platform.grpc.GrpcErrors.notFound;

import io.virga.contracts.events.v1.VolumeChanged;
import io.virga.platform.db.Tx;
import io.virga.platform.events.Topics;
import io.virga.platform.ids.Ids;
import io.virga.storage.Fields;
import io.virga.storage.StorageEventing;
import io.virga.storage.StorageMetrics;
import io.virga.storage.backend.Backends;
import io.virga.storage.image.DiskFormat;
import io.virga.storage.image.Image;
import io.virga.storage.image.ImageService;
import io.virga.storage.quota.VolumeQuotas;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Volumes: create (blank, from an image, from a snapshot, clone), extend,
 * revert, delete. Each operation claims the row in a short transaction (a
 * transient {@link VolumeStatus}), commits, and leaves the backend I/O to
 * {@link VolumeOps} on the {@link VolumeWorker} — no multi-GiB copy ever
 * holds a row lock. Creation commits together with its event
 * ({@code io.virga.volume.created} / {@code io.virga.volume.deleted} on
 * {@code virga.storage.volumes}, key = volume id) through the outbox.
 *
 * <p>Tenancy: a project only ever sees and changes its own volumes; another
 * project's volume is NOT_FOUND (or "nothing deleted").
 */
@ApplicationScoped
public class VolumeService {
    /** The status that VolumeChanged carries for a deleted volume. */
    public static final String DELETED = "DELETED";

    private final Tx tx;
    private final VolumeRepository repo;
    private final SnapshotRepository snapshots;
    private final ImageService images;
    private final Backends backends;
    private final VolumeOps ops;
    private final VolumeWorker worker;
    private final StorageEventing eventing;
    private final StorageMetrics metrics;
    private final VolumeQuotas quotas;

    public VolumeService(Tx tx, VolumeRepository repo, SnapshotRepository snapshots, ImageService images,
            Backends backends, VolumeOps ops, VolumeWorker worker, StorageEventing eventing, StorageMetrics metrics,
            VolumeQuotas quotas) {
        this.quotas = quotas;
        this.tx = tx;
        this.repo = repo;
        this.snapshots = snapshots;
        this.images = images;
        this.backends = backends;
        this.ops = ops;
        this.worker = worker;
        this.eventing = eventing;
        this.metrics = metrics;
    }

    private record Created(Volume volume, boolean isNew) {
    }

    /**
     * Creates a volume: a boot volume record (owner_id set: IN_USE at once,
     * no data — the node makes its own overlay), or a volume with data on the
     * backend of its type (CREATING, then AVAILABLE or ERROR; poll GetVolume).
     *
     * <p>Idempotent on (project_id, request_id): a retry with the same
     * request returns the first volume; the same request_id with different
     * fields is INVALID_ARGUMENT; a retry after that volume was deleted is
     * FAILED_PRECONDITION. Errors, each changing nothing: RESOURCE_EXHAUSTED
     * a quota of the project (volumes, gigabytes) exceeded; NOT_FOUND image,
     * snapshot or source volume; FAILED_PRECONDITION a source not usable now
     * or the backend's capacity (provisioned × over-subscription) exceeded;
     * INVALID_ARGUMENT unknown volume_type, size below the source's.
     */
    public Volume create(NewVolume req) {
        Created result = tx.run(c -> {
            String id = Ids.newId("v");
            if (!repo.claimRequest(c, req.projectId(), req.requestId(), id, req.fingerprint())) {
                return new Created(replay(c, req), false);
            }
            String type = backends.resolveType(req.volumeType());
            String backend = req.ownerId() != null ? Backends.RECORD : backends.backendOf(type);
            checkSource(c, req, backend);
            if (req.ownerId() == null) {
                quotas.reserve(c, req.projectId(), new VolumeQuotas.Figures(1, req.sizeGb(), 0));
                Capacity.reserve(c, repo, backends, backend, req.sizeGb());
            }
            Volume volume = new Volume(id, req.projectId(), req.name(), req.sizeGb(), req.imageId(),
                    req.ownerId() == null ? VolumeStatus.CREATING : VolumeStatus.IN_USE, req.ownerId(),
                    req.deleteOnTermination(), Instant.now().truncatedTo(ChronoUnit.MICROS), type, backend,
                    req.multiattach(), req.sourceVolumeId(), req.snapshotId(), null, null, null, null, List.of());
            repo.insert(c, volume);
            publish(c, volume, Topics.TYPE_VOLUME_CREATED, volume.status().name());
            return new Created(volume, true);
        });
        if (result.isNew()) {
            metrics.volumeCreated();
            if (result.volume().status() == VolumeStatus.CREATING) {
                String id = result.volume().id();
                worker.submit(id, "build", () -> ops.build(id));
            }
        }
        return result.volume();
    }

    private void checkSource(Connection c, NewVolume req, String backend) throws SQLException {
        if (req.imageId() != null) {
            Image source = images.requireUsableForVolume(c, req.projectId(), req.imageId());
            if (source.diskFormat() == DiskFormat.OCI) {
                throw invalidArgument("image_id", "image " + source.id() + " is an OCI tarball, not a disk image");
            }
            requireSize(req, source.minimumVolumeGb(), "image " + source.id());
        } else if (req.snapshotId() != null) {
            Snapshot s = snapshots.find(c, req.projectId(), req.snapshotId(), false)
                    .orElseThrow(() -> notFound("snapshot", req.snapshotId()));
            if (s.status() != SnapshotStatus.AVAILABLE) {
                throw failedPrecondition("snapshot " + s.id() + " is " + s.status());
            }
            requireSize(req, s.sizeGb(), "snapshot " + s.id());
            requireSameBackend(c, req.projectId(), s.volumeId(), backend);
        } else if (req.sourceVolumeId() != null) {
            Volume source = repo.find(c, req.projectId(), req.sourceVolumeId(), false)
                    .orElseThrow(() -> notFound("volume", req.sourceVolumeId()));
            if (source.status() != VolumeStatus.AVAILABLE && source.status() != VolumeStatus.IN_USE) {
                throw failedPrecondition("volume " + source.id() + " is " + source.status() + " and cannot be cloned now");
            }
            requireSize(req, source.sizeGb(), "volume " + source.id());
            requireSameBackend(c, req.projectId(), source.id(), backend);
        }
    }

    private static void requireSize(NewVolume req, long minimum, String source) {
        if (req.sizeGb() < minimum) {
            throw invalidArgument("size_gb", "must be at least " + minimum + " for " + source);
        }
    }

    private void requireSameBackend(Connection c, String project, String volumeId, String backend) throws SQLException {
        Volume v = repo.find(c, project, volumeId, false).orElseThrow(() -> notFound("volume", volumeId));
        if (Backends.RECORD.equals(v.backend())) {
            throw failedPrecondition("volume " + volumeId + " is a boot volume record without data of its own");
        }
        if (!v.backend().equals(backend)) {
            throw invalidArgument("volume_type", "the source lives on backend " + v.backend() + ", this type on "
                    + backend);
        }
    }

    private Volume replay(Connection c, NewVolume req) throws SQLException {
        VolumeRepository.PriorRequest prior = repo.priorRequest(c, req.projectId(), req.requestId());
        if (!prior.fingerprint().equals(req.fingerprint())) {
            throw invalidArgument("request_id", "was already used for a different volume request");
        }
        return repo.find(c, req.projectId(), prior.volumeId(), false).orElseThrow(() -> failedPrecondition(
                "volume " + prior.volumeId() + " made by request_id " + req.requestId() + " was deleted"));
    }

    /** The project's volume; NOT_FOUND otherwise. */
    public Volume get(String projectId, String volumeId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        return tx.run(c -> repo.find(c, project, id, false).orElseThrow(() -> notFound("volume", id)));
    }

    /** The project's volumes, oldest first; only those of {@code ownerId} (owner or attachment) when not empty. */
    public List<Volume> list(String projectId, String ownerId) {
        String project = Fields.reference("project_id", projectId);
        String owner = Fields.optionalReference("owner_id", ownerId);
        return tx.run(c -> repo.list(c, project, owner, false));
    }

    /**
     * Grows a volume to {@code sizeGb}. AVAILABLE: EXTENDING while the backend
     * resizes, then AVAILABLE at the new size. IN_USE: EXTENDING until the
     * caller, having resized the disk in each guest, calls {@link #endExtend}.
     * Errors (nothing changes): INVALID_ARGUMENT not larger; FAILED_PRECONDITION
     * busy, a boot volume record, or over capacity.
     */
    public Volume extend(String projectId, String volumeId, int sizeGbUnsigned) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        int size = Fields.range("size_gb", sizeGbUnsigned, 1, NewVolume.MAX_SIZE_GB);
        Volume claimed = tx.run(c -> {
            Volume v = repo.find(c, project, id, true).orElseThrow(() -> notFound("volume", id));
            if (size <= v.sizeGb()) {
                throw invalidArgument("size_gb", "must be larger than the volume's " + v.sizeGb()
                        + " GiB (volumes only grow)");
            }
            requireData(v, "extended");
            if (v.status() != VolumeStatus.AVAILABLE && v.status() != VolumeStatus.IN_USE) {
                throw busy(v, "extended");
            }
            quotas.reserve(c, project, new VolumeQuotas.Figures(0, size - v.sizeGb(), 0));
            Capacity.reserve(c, repo, backends, v.backend(), size - v.sizeGb());
            Volume next = v.claim(VolumeStatus.EXTENDING, size, null);
            repo.update(c, next);
            return next;
        });
        if (claimed.resumeStatus() == VolumeStatus.AVAILABLE) {
            worker.submit(id, "extend", () -> ops.extend(id));
        }
        return claimed;
    }

    /**
     * Ends the extension of an attached volume: succeeded → the backend makes
     * sure the data has the new size (the guest's hypervisor usually did it
     * already), IN_USE at the new size; not succeeded → IN_USE at the old size
     * with the error kept. Idempotent: a volume no longer EXTENDING is returned as is.
     */
    public Volume endExtend(String projectId, String volumeId, boolean succeeded, String error) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        Volume v = tx.run(c -> {
            Volume found = repo.find(c, project, id, true).orElseThrow(() -> notFound("volume", id));
            if (found.status() == VolumeStatus.EXTENDING && !succeeded) {
                repo.update(c, found.rollBack(error == null || error.isBlank() ? "extend failed" : error));
            }
            return found;
        });
        if (v.status() == VolumeStatus.EXTENDING && succeeded) {
            worker.submit(id, "extend", () -> ops.extend(id)).join();
        }
        return get(project, id);
    }

    /**
     * Reverts an AVAILABLE volume to its latest snapshot (REVERTING, then
     * AVAILABLE). FAILED_PRECONDITION when busy, attached, or without an
     * AVAILABLE latest snapshot.
     */
    public Volume revert(String projectId, String volumeId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        Volume claimed = tx.run(c -> {
            Volume v = repo.find(c, project, id, true).orElseThrow(() -> notFound("volume", id));
            requireData(v, "reverted");
            if (v.status() != VolumeStatus.AVAILABLE) {
                throw busy(v, "reverted (detach it first)");
            }
            List<Snapshot> chain = snapshots.ofVolume(c, id);
            if (chain.isEmpty()) {
                throw failedPrecondition("volume " + id + " has no snapshot to revert to");
            }
            Snapshot latest = chain.get(chain.size() - 1);
            if (latest.status() != SnapshotStatus.AVAILABLE) {
                throw failedPrecondition("the latest snapshot " + latest.id() + " of volume " + id + " is "
                        + latest.status());
            }
            Volume next = v.claim(VolumeStatus.REVERTING, null, null);
            repo.update(c, next);
            return next;
        });
        worker.submit(id, "revert", () -> ops.revert(id));
        return claimed;
    }

    /**
     * Deletes a volume: DELETING, then the backend releases its data and the
     * row goes (an ERROR row stays when it cannot; delete again). Idempotent:
     * a volume that does not exist (any more, or in this project) answers 0.
     * FAILED_PRECONDITION when it has snapshots, or is attached or busy and
     * {@code force} is false.
     *
     * @return how many volumes were deleted (0 or 1)
     */
    public int delete(String projectId, String volumeId, boolean force) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        Optional<Volume> claimed = tx.run(c -> {
            Optional<Volume> found = repo.find(c, project, id, true);
            if (found.isEmpty()) {
                return Optional.<Volume>empty();
            }
            Volume volume = found.get();
            int snaps = snapshots.ofVolume(c, id).size();
            if (snaps > 0) {
                throw failedPrecondition("volume " + id + " has " + snaps + " snapshot(s); delete them first");
            }
            if (volume.status() == VolumeStatus.DELETING) {
                return found;
            }
            if (volume.status().deleteNeedsForce() && !force) {
                throw failedPrecondition("volume " + id + " is " + volume.status()
                        + (volume.attachments().isEmpty() ? "" : " (attached to " + String.join(", ",
                                volume.attachments()) + ")")
                        + "; detach it first or delete with force");
            }
            repo.update(c, volume.claim(VolumeStatus.DELETING, null, null));
            return found;
        });
        if (claimed.isEmpty()) {
            return 0;
        }
        worker.submit(id, "delete", () -> ops.remove(id)).join();
        metrics.volumesDeleted(1);
        return 1;
    }

    /**
     * Ends the volumes of an owner that is going away (instance delete, saga
     * compensation): the volumes made with delete_on_termination that it owns
     * or alone holds ({@link #goesWith}) are deleted, the others are detached (AVAILABLE, or IN_USE when other
     * instances still have a multiattach volume). Idempotent.
     *
     * @return how many volumes were deleted
     */
    public int deleteByOwner(String projectId, String ownerId) {
        String project = Fields.reference("project_id", projectId);
        String owner = Fields.reference("owner_id", ownerId);
        List<String> doomed = tx.run(c -> {
            List<String> out = new ArrayList<>();
            for (Volume volume : repo.list(c, project, owner, true)) {
                if (goesWith(volume, owner)) {
                    repo.removeAttachment(c, volume.id(), owner);
                    if (volume.status() != VolumeStatus.DELETING) {
                        repo.update(c, volume.claim(VolumeStatus.DELETING, null, null));
                    }
                    out.add(volume.id());
                } else {
                    repo.removeAttachment(c, volume.id(), owner);
                    repo.update(c, Attachments.without(volume, owner));
                }
            }
            return out;
        });
        for (String id : doomed) {
            worker.submit(id, "delete", () -> ops.remove(id)).join();
        }
        metrics.volumesDeleted(doomed.size());
        return doomed.size();
    }

    /**
     * True when {@code v} is deleted with {@code owner}: made with
     * delete_on_termination and either owned by it (a boot volume record) or
     * attached (or being attached) to it alone (a volume an instance boots
     * from, or was given at boot).
     */
    static boolean goesWith(Volume v, String owner) {
        if (!v.deleteOnTermination()) {
            return false;
        }
        if (owner.equals(v.ownerId())) {
            return true;
        }
        boolean held = v.attachments().contains(owner) || owner.equals(v.pendingInstanceId());
        return held && v.ownerId() == null && v.attachments().stream().allMatch(owner::equals);
    }

    static void requireData(Volume v, String what) {
        if (Backends.RECORD.equals(v.backend())) {
            throw failedPrecondition("volume " + v.id() + " is a boot volume record (its data is the instance's "
                    + "local disk) and cannot be " + what);
        }
    }

    static RuntimeException busy(Volume v, String what) {
        return failedPrecondition("volume " + v.id() + " is " + v.status() + " and cannot be " + what + " now");
    }

    private void publish(Connection c, Volume volume, String type, String status) throws SQLException {
        VolumeChanged.Builder data = VolumeChanged.newBuilder().setVolumeId(volume.id())
                .setProjectId(volume.projectId()).setSizeGb(volume.sizeGb()).setStatus(status);
        if (volume.ownerId() != null) {
            data.setOwnerId(volume.ownerId());
        }
        eventing.append(c, Topics.STORAGE_VOLUMES, type, volume.id(), data);
    }
}
