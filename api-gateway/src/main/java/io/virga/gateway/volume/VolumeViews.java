package io.virga.gateway.volume;

import io.virga.contracts.storage.v1.Snapshot;
import io.virga.contracts.storage.v1.Volume;
import java.util.List;

/** JSON shapes of volumes, snapshots and attachments (snake_case on the wire). */
public final class VolumeViews {
    private VolumeViews() {
    }

    private static String orNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A volume. {@code error}: why it is ERROR, or why its last operation failed. */
    public record VolumeView(String id, String projectId, String name, int sizeGb, String volumeType, String imageId,
            String snapshotId, String sourceVolumeId, String status, String ownerId, List<String> attachments,
            boolean multiattach, boolean bootable, boolean deleteOnTermination, String error, String createdAt) {
        public static VolumeView of(Volume v) {
            return new VolumeView(v.getId(), v.getProjectId(), v.getName(), v.getSizeGb(), orNull(v.getVolumeType()),
                    orNull(v.getImageId()), orNull(v.getSnapshotId()), orNull(v.getSourceVolumeId()), v.getStatus(),
                    orNull(v.getOwnerId()), v.getAttachmentsList(), v.getMultiattach(), v.getBootable(),
                    v.getDeleteOnTermination(), orNull(v.getError()), v.getCreatedAt());
        }
    }

    public record SnapshotView(String id, String projectId, String volumeId, String name, int sizeGb, String status,
            String error, String createdAt) {
        public static SnapshotView of(Snapshot s) {
            return new SnapshotView(s.getId(), s.getProjectId(), s.getVolumeId(), s.getName(), s.getSizeGb(),
                    s.getStatus(), orNull(s.getError()), s.getCreatedAt());
        }
    }

    /** An attachment being made or removed, with the operation that does it. */
    public record AttachmentView(String instanceId, String volumeId, String status, String operationId) {
    }
}
