package io.virga.storage.image;

import static io.virga.platform.grpc.GrpcErrors.failedPrecondition;
import static io.virga.platform.grpc.GrpcErrors.invalidArgument;
import static io.virga.platform.grpc.GrpcErrors.notFound;

import io.grpc.Status;
import io.quarkus.runtime.StartupEvent;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import io.virga.storage.Fields;
import io.virga.storage.StorageConfig;
import io.virga.storage.StorageMetrics;
import io.virga.storage.StorageMetrics.UploadOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Images: records in PostgreSQL, data in {@link ImageFiles}.
 *
 * <p>Tenancy: a project sees its own images and public images; any other
 * image is NOT_FOUND. Only the owning project may upload to or delete an
 * image it sees (PERMISSION_DENIED for a public image of another project).
 */
@ApplicationScoped
public class ImageService {
    private static final Logger LOG = Logger.getLogger(ImageService.class);

    private final Tx tx;
    private final ImageRepository repo;
    private final ImageFiles files;
    private final StorageMetrics metrics;
    private final long maxImageBytes;

    public ImageService(Tx tx, ImageRepository repo, ImageFiles files, StorageMetrics metrics, StorageConfig config) {
        this.tx = tx;
        this.repo = repo;
        this.files = files;
        this.metrics = metrics;
        this.maxImageBytes = config.maxImageBytes();
    }

    /** Registers a QUEUED image (no data yet). Not idempotent: each call makes a new image. */
    public Image create(NewImage req) {
        Image image = new Image(Ids.newId(ImageFiles.IMAGE_PREFIX), req.projectId(), req.name(), req.diskFormat(),
                ImageStatus.QUEUED, null, null, req.minDiskGb(), req.visibility(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), req.properties());
        tx.run(c -> {
            for (String ref : ImageProperties.referencedImages(req.properties())) {
                Image other = repo.find(c, ref, ImageRepository.Lock.KEY_SHARE).orElse(null);
                if (other == null || !other.isVisibleTo(req.projectId())) {
                    throw invalidArgument("properties", "image " + ref + " (kernel_id / ramdisk_id) does not exist");
                }
            }
            repo.insert(c, image);
            return null;
        });
        return image;
    }

    /** The image if visible to the project; NOT_FOUND otherwise. */
    public Image get(String projectId, String imageId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", imageId);
        return tx.run(c -> visible(repo.find(c, id, ImageRepository.Lock.NONE).orElse(null), project, id));
    }

    /** Where the data of an ACTIVE image lies on this host (absolute); empty for a QUEUED one. */
    public String location(Image image) {
        return image.status() == ImageStatus.ACTIVE ? files.pathOf(image.id()).toAbsolutePath().toString() : "";
    }

    /** The project's images and all public images, oldest first. */
    public List<Image> list(String projectId) {
        String project = Fields.reference("project_id", projectId);
        return tx.run(c -> repo.listVisible(c, project));
    }

    /**
     * Deletes an image and its data. Only the owner may; FAILED_PRECONDITION
     * while any volume references it (the database's foreign key holds that
     * too). The data file is removed after the record is gone; if that fails,
     * the start-up sweep removes it.
     *
     * @return 1
     */
    public int delete(String projectId, String imageId) {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("id", imageId);
        tx.run(c -> {
            Image image = owned(repo.find(c, id, ImageRepository.Lock.UPDATE).orElse(null), project, id);
            if (repo.isUsedByVolumes(c, id)) {
                throw failedPrecondition("image " + id + " is in use by volumes; delete them first");
            }
            return repo.delete(c, image.id());
        });
        files.deleteQuietly(files.pathOf(id));
        return 1;
    }

    /**
     * The image a new volume of {@code projectId} is made from, inside the
     * volume's transaction: visible (NOT_FOUND otherwise), ACTIVE
     * (FAILED_PRECONDITION otherwise), and locked against deletion until that
     * transaction ends.
     */
    public Image requireUsableForVolume(Connection c, String projectId, String imageId) throws SQLException {
        Image image = visible(repo.find(c, imageId, ImageRepository.Lock.KEY_SHARE).orElse(null), projectId, imageId);
        if (image.status() != ImageStatus.ACTIVE) {
            throw failedPrecondition("image " + imageId + " is " + image.status() + ", upload its data first");
        }
        return image;
    }

    /**
     * Starts an upload to a QUEUED image of the caller's project.
     *
     * <p>Errors: INVALID_ARGUMENT (project_id or image_id missing), NOT_FOUND
     * (not visible), PERMISSION_DENIED (another project's public image),
     * FAILED_PRECONDITION (already ACTIVE). On success a temp file exists
     * until {@link #finishUpload} or {@link #abortUpload}.
     */
    public ImageUpload beginUpload(String projectId, String imageId) throws IOException {
        String project = Fields.reference("project_id", projectId);
        String id = Fields.id("image_id", imageId);
        Image image = tx.run(c -> owned(repo.find(c, id, ImageRepository.Lock.NONE).orElse(null), project, id));
        requireQueued(image);
        Path temp = files.newTempFile(id);
        try {
            return new ImageUpload(project, id, temp, maxImageBytes);
        } catch (IOException | RuntimeException e) {
            files.deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Completes an upload: seals the data, moves it into place and marks the
     * image ACTIVE with its size and SHA-256, all under the image's row lock
     * so that two concurrent uploads cannot both win. The loser gets
     * FAILED_PRECONDITION. On any failure the temp file is removed and the
     * image stays QUEUED.
     */
    public Image finishUpload(ImageUpload upload) {
        try {
            if (upload.size() == 0) {
                throw invalidArgument("data", "the upload carried no bytes");
            }
            String sha256 = upload.seal();
            Image active = tx.run(c -> {
                Image image = owned(repo.find(c, upload.imageId(), ImageRepository.Lock.UPDATE).orElse(null),
                        upload.projectId(), upload.imageId());
                requireQueued(image);
                Path placed = files.moveIntoPlace(upload.tempFile(), image.id());
                try {
                    repo.markActive(c, image.id(), upload.size(), sha256);
                } catch (RuntimeException | java.sql.SQLException e) {
                    files.deleteQuietly(placed);
                    throw e;
                }
                return image.activated(upload.size(), sha256);
            });
            if (upload.end()) {
                metrics.uploadEnded(UploadOutcome.ACTIVE, upload.size());
            }
            return active;
        } catch (IOException e) {
            abortUpload(upload, UploadOutcome.ABORTED);
            throw new UncheckedIOException("cannot store data of image " + upload.imageId(), e);
        } catch (RuntimeException e) {
            abortUpload(upload, UploadOutcome.REJECTED);
            throw e;
        }
    }

    /** Drops an unfinished upload: closes and removes its temp file. Idempotent; the image stays QUEUED. */
    public void abortUpload(ImageUpload upload, UploadOutcome outcome) {
        try {
            upload.close();
        } catch (IOException e) {
            LOG.debugf(e, "closing upload of %s", upload.imageId());
        }
        files.deleteQuietly(upload.tempFile());
        if (upload.end()) {
            metrics.uploadEnded(outcome, upload.size());
        }
    }

    /** At start: remove temp files of uploads that died with a previous process, and data of deleted images. */
    void sweep(@Observes StartupEvent event) {
        int temps = files.sweepStaleUploads();
        int orphans = files.sweepOrphans(new HashSet<>(tx.run(repo::activeIds)));
        if (temps + orphans > 0) {
            LOG.infof("removed %d unfinished uploads and %d orphaned image files", temps, orphans);
        }
    }

    private static Image visible(Image image, String projectId, String id) {
        if (image == null || !image.isVisibleTo(projectId)) {
            throw notFound("image", id);
        }
        return image;
    }

    private static Image owned(Image image, String projectId, String id) {
        visible(image, projectId, id);
        if (!image.isOwnedBy(projectId)) {
            throw Status.PERMISSION_DENIED.withDescription("image " + id + " belongs to another project")
                    .asRuntimeException();
        }
        return image;
    }

    private static void requireQueued(Image image) {
        if (!image.status().canBecome(ImageStatus.ACTIVE)) {
            throw failedPrecondition("image " + image.id() + " is " + image.status() + " and already has its data");
        }
    }
}
