package io.virga.storage.volume;

import java.time.Instant;
import java.util.List;

/**
 * A volume record.
 *
 * @param imageId null unless made from an image
 * @param ownerId the instance a boot volume record belongs to (backend {@code record}), or null
 * @param backend the backend holding its data ({@code file}, {@code sim}, {@code record})
 * @param targetSizeGb EXTENDING: the size asked for; else null
 * @param pendingInstanceId ATTACHING / DETACHING: the instance; else null
 * @param resumeStatus the status a claim goes back to when its operation fails
 * @param error why it is ERROR, or why the last operation failed (null when it did not)
 * @param attachments instances it is attached to (more than one only when multiattach)
 */
public record Volume(String id, String projectId, String name, int sizeGb, String imageId, VolumeStatus status,
        String ownerId, boolean deleteOnTermination, Instant createdAt, String volumeType, String backend,
        boolean multiattach, String sourceVolumeId, String snapshotId, Integer targetSizeGb,
        String pendingInstanceId, VolumeStatus resumeStatus, String error, List<String> attachments) {

    /** A volume made from an image can boot an instance. */
    public boolean bootable() {
        return imageId != null;
    }

    /** A claim: {@code next} until the operation ends; a failure goes back to the current status. */
    public Volume claim(VolumeStatus next, Integer target, String instance) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException(id + ": " + status + " cannot become " + next);
        }
        return new Volume(id, projectId, name, sizeGb, imageId, next, ownerId, deleteOnTermination, createdAt,
                volumeType, backend, multiattach, sourceVolumeId, snapshotId, target, instance, status, null,
                attachments);
    }

    /** The end of a claim (or a plain change): {@code next}, with {@code size} and {@code error}. */
    public Volume settle(VolumeStatus next, int size, String why) {
        return new Volume(id, projectId, name, size, imageId, next, ownerId, deleteOnTermination, createdAt,
                volumeType, backend, multiattach, sourceVolumeId, snapshotId, null, null, null, why, attachments);
    }

    /** The end of a failed claim: back to the status it came from, with the reason kept. */
    public Volume rollBack(String why) {
        return settle(resumeStatus == null ? VolumeStatus.ERROR : resumeStatus, sizeGb, why);
    }

    /** Plain change of status, owner and attachments (claim fields cleared). */
    public Volume attachedTo(VolumeStatus next, String owner, List<String> instances) {
        return new Volume(id, projectId, name, sizeGb, imageId, next, owner, deleteOnTermination, createdAt,
                volumeType, backend, multiattach, sourceVolumeId, snapshotId, null, null, null, error,
                List.copyOf(instances));
    }
}
