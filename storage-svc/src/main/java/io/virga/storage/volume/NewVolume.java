package io.virga.storage.volume;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import io.virga.storage.Fields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated CreateVolume request. At most one source: an image, a snapshot
 * or a volume to clone (none: blank).
 *
 * @param imageId null unless from an image
 * @param ownerId null for a volume attached to nobody; set: a boot volume record
 * @param volumeType as asked (empty: the default type)
 */
public record NewVolume(String projectId, String name, int sizeGb, String imageId, String ownerId,
        boolean deleteOnTermination, String requestId, String volumeType, String snapshotId,
        String sourceVolumeId, boolean multiattach) {
    public static final int MAX_SIZE_GB = 16384;

    /** Validates raw request fields (INVALID_ARGUMENT "field: message" on the first bad one). */
    public static NewVolume of(String projectId, String name, int sizeGbUnsigned, String imageId, String ownerId,
            boolean deleteOnTermination, String requestId, String volumeType, String snapshotId,
            String sourceVolumeId, boolean multiattach) {
        String project = Fields.reference("project_id", projectId);
        String rid = Fields.text("request_id", requestId, 0, 128);
        if (rid.isBlank()) {
            throw invalidArgument("request_id", "required");
        }
        if (sizeGbUnsigned < 0) {
            throw invalidArgument("size_gb", "must be between 1 and " + MAX_SIZE_GB);
        }
        String image = optionalId("image_id", imageId);
        String snapshot = optionalId("snapshot_id", snapshotId);
        String source = optionalId("source_volume_id", sourceVolumeId);
        int sources = (image == null ? 0 : 1) + (snapshot == null ? 0 : 1) + (source == null ? 0 : 1);
        if (sources > 1) {
            throw invalidArgument(image == null ? "snapshot_id" : "image_id",
                    "give at most one of image_id, snapshot_id, source_volume_id");
        }
        String owner = Fields.optionalReference("owner_id", ownerId);
        if (owner != null && (snapshot != null || source != null || multiattach)) {
            throw invalidArgument("owner_id", "a boot volume is made from an image only");
        }
        String type = Fields.text("volume_type", volumeType == null ? "" : volumeType, 0, 64);
        return new NewVolume(project, Fields.text("name", name, 0, 128),
                Fields.range("size_gb", sizeGbUnsigned, 1, MAX_SIZE_GB), image, owner, deleteOnTermination, rid,
                type, snapshot, source, multiattach);
    }

    private static String optionalId(String field, String value) {
        return value == null || value.isEmpty() ? null : Fields.id(field, value);
    }

    /** Digest of what was asked for: a retry with the same request_id must ask for the same thing. */
    public String fingerprint() {
        String canonical = String.join("\u0000", name, Integer.toString(sizeGb), String.valueOf(imageId),
                String.valueOf(ownerId), Boolean.toString(deleteOnTermination), volumeType,
                String.valueOf(snapshotId), String.valueOf(sourceVolumeId), Boolean.toString(multiattach));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
