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
import io.virga.storage.image.Image;
import io.virga.storage.image.ImageService;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Volumes. For now a volume is a database record: {@link RecordOnlyBackend}
 * provisions no bytes (real qcow2 volumes come with the storage issue, behind
 * {@link VolumeBackend}). Every state change commits together with its event
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
    private final ImageService images;
    private final VolumeBackend backend;
    private final StorageEventing eventing;
    private final StorageMetrics metrics;

    public VolumeService(Tx tx, VolumeRepository repo, ImageService images, VolumeBackend backend,
            StorageEventing eventing, StorageMetrics metrics) {
        this.tx = tx;
        this.repo = repo;
        this.images = images;
        this.backend = backend;
        this.eventing = eventing;
        this.metrics = metrics;
    }

    private record Created(Volume volume, boolean isNew) {
    }

    /**
     * Creates a volume, blank or from an image visible to the project.
     *
     * <p>Idempotent on (project_id, request_id): a retry with the same
     * request returns the first volume (no second event); the same request_id
     * with different fields is INVALID_ARGUMENT; a retry after that volume was
     * deleted is FAILED_PRECONDITION (it is not made again). Errors: NOT_FOUND
     * image, FAILED_PRECONDITION image not ACTIVE, INVALID_ARGUMENT size_gb
     * below the image's min_disk_gb or data size. A failure changes nothing.
     * The volume is IN_USE when it has an owner, AVAILABLE otherwise.
     */
    public Volume create(NewVolume req) {
        Created result = tx.run(c -> {
            String id = Ids.newId("v");
            if (!repo.claimRequest(c, req.projectId(), req.requestId(), id, req.fingerprint())) {
                return new Created(replay(c, req), false);
            }
            Optional<Image> image = Optional.empty();
            if (req.imageId() != null) {
                Image source = images.requireUsableForVolume(c, req.projectId(), req.imageId());
                if (req.sizeGb() < source.minimumVolumeGb()) {
                    throw invalidArgument("size_gb", "must be at least " + source.minimumVolumeGb()
                            + " for image " + source.id());
                }
                image = Optional.of(source);
            }
            Volume volume = new Volume(id, req.projectId(), req.name(), req.sizeGb(), req.imageId(),
                    req.ownerId() == null ? VolumeStatus.AVAILABLE : VolumeStatus.IN_USE, req.ownerId(),
                    req.deleteOnTermination(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            backend.create(volume, image);
            try {
                repo.insert(c, volume);
                publish(c, volume, Topics.TYPE_VOLUME_CREATED, volume.status().name());
            } catch (SQLException | RuntimeException e) {
                backend.delete(volume);
                throw e;
            }
            return new Created(volume, true);
        });
        if (result.isNew()) {
            metrics.volumeCreated();
        }
        return result.volume();
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

    /** The project's volumes, oldest first; only those attached to {@code ownerId} when it is not empty. */
    public List<Volume> list(String projectId, String ownerId) {
        String project = Fields.reference("project_id", projectId);
        String owner = Fields.optionalReference("owner_id", ownerId);
        return tx.run(c -> repo.list(c, project, owner, false));
    }

    /**
     * Deletes a volume. Idempotent: a volume that does not exist (any more, or
     * in this project) answers 0. FAILED_PRECONDITION when it is attached or
     * busy and {@code force} is false.
     *
     * @return how many volumes were deleted (0 or 1)
     */
    public int delete(String projectId, String volumeId, boolean force) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", volumeId);
        int deleted = tx.run(c -> {
            Optional<Volume> found = repo.find(c, project, id, true);
            if (found.isEmpty()) {
                return 0;
            }
            Volume volume = found.get();
            if (volume.status().deleteNeedsForce() && !force) {
                throw failedPrecondition("volume " + id + " is " + volume.status()
                        + (volume.ownerId() == null ? "" : " (attached to " + volume.ownerId() + ")")
                        + "; detach it first or delete with force");
            }
            remove(c, volume);
            return 1;
        });
        metrics.volumesDeleted(deleted);
        return deleted;
    }

    /**
     * Ends the volumes of an owner that is going away (instance delete, saga
     * compensation): those made with delete_on_termination are deleted, the
     * others are detached (owner cleared, AVAILABLE). Idempotent.
     *
     * @return how many volumes were deleted
     */
    public int deleteByOwner(String projectId, String ownerId) {
        String project = Fields.reference("project_id", projectId);
        String owner = Fields.reference("owner_id", ownerId);
        int deleted = tx.run(c -> {
            int count = 0;
            for (Volume volume : repo.list(c, project, owner, true)) {
                if (volume.deleteOnTermination()) {
                    remove(c, volume);
                    count++;
                } else if (volume.status().canBecome(VolumeStatus.AVAILABLE)) {
                    repo.updateAttachment(c, volume.id(), VolumeStatus.AVAILABLE, null);
                } else {
                    throw failedPrecondition("volume " + volume.id() + " is " + volume.status()
                            + " and cannot be detached now");
                }
            }
            return count;
        });
        metrics.volumesDeleted(deleted);
        return deleted;
    }

    private void remove(Connection c, Volume volume) throws SQLException {
        backend.delete(volume);
        repo.delete(c, volume.id());
        publish(c, volume, Topics.TYPE_VOLUME_DELETED, DELETED);
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
