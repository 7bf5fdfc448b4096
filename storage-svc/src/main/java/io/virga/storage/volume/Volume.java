package io.virga.storage.volume;

import java.time.Instant;

/**
 * A volume record.
 *
 * @param imageId null for a blank volume
 * @param ownerId the instance it is attached to (status IN_USE), or null
 */
public record Volume(String id, String projectId, String name, int sizeGb, String imageId, VolumeStatus status,
        String ownerId, boolean deleteOnTermination, Instant createdAt) {

    /** A volume made from an image can boot an instance. */
    public boolean bootable() {
        return imageId != null;
    }

    public Volume withStatus(VolumeStatus next, String owner) {
        return new Volume(id, projectId, name, sizeGb, imageId, next, owner, deleteOnTermination, createdAt);
    }
}
