package io.virga.storage.image;

import java.time.Instant;
import java.util.Map;

/**
 * An image record.
 *
 * @param sizeBytes null while QUEUED
 * @param sha256    lower-case hex, null while QUEUED
 */
public record Image(String id, String projectId, String name, DiskFormat diskFormat, ImageStatus status,
        Long sizeBytes, String sha256, int minDiskGb, Visibility visibility, Instant createdAt,
        Map<String, String> properties) {

    public Image {
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    /** An image without properties. */
    public Image(String id, String projectId, String name, DiskFormat diskFormat, ImageStatus status,
            Long sizeBytes, String sha256, int minDiskGb, Visibility visibility, Instant createdAt) {
        this(id, projectId, name, diskFormat, status, sizeBytes, sha256, minDiskGb, visibility, createdAt, Map.of());
    }

    /** The same image, ACTIVE with its data's size and checksum. */
    public Image activated(long size, String checksum) {
        return new Image(id, projectId, name, diskFormat, ImageStatus.ACTIVE, size, checksum, minDiskGb, visibility,
                createdAt, properties);
    }

    public static final long GIB = 1L << 30;

    /** Own images and public images are visible; everything else is NOT_FOUND to the caller. */
    public boolean isVisibleTo(String projectId) {
        return this.projectId.equals(projectId) || visibility == Visibility.PUBLIC;
    }

    public boolean isOwnedBy(String projectId) {
        return this.projectId.equals(projectId);
    }

    /** The smallest volume, in GiB, that holds this image: its min_disk_gb and its data rounded up. */
    public long minimumVolumeGb() {
        long data = sizeBytes == null ? 0 : (sizeBytes + GIB - 1) / GIB;
        return Math.max(minDiskGb, data);
    }
}
