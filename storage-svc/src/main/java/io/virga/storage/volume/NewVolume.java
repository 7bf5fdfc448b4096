package io.virga.storage.volume;

import io.virga.storage.Fields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated CreateVolume request.
 *
 * @param imageId null for a blank volume
 * @param ownerId null for a volume attached to nobody
 */
public record NewVolume(String projectId, String name, int sizeGb, String imageId, String ownerId,
        boolean deleteOnTermination, String requestId) {
    public static final int MAX_SIZE_GB = 16384;

    /** Validates raw request fields (INVALID_ARGUMENT "field: message" on the first bad one). */
    public static NewVolume of(String projectId, String name, int sizeGbUnsigned, String imageId, String ownerId,
            boolean deleteOnTermination, String requestId) {
        String project = Fields.reference("project_id", projectId);
        String rid = Fields.text("request_id", requestId, 0, 128);
        if (rid.isBlank()) {
            throw io.virga.platform.grpc.GrpcErrors.invalidArgument("request_id", "required");
        }
        return new NewVolume(project, Fields.text("name", name, 0, 128),
                Fields.range("size_gb", sizeGbUnsigned, 1, MAX_SIZE_GB),
                imageId == null || imageId.isEmpty() ? null : Fields.id("image_id", imageId),
                Fields.optionalReference("owner_id", ownerId), deleteOnTermination, rid);
    }

    /** Digest of what was asked for: a retry with the same request_id must ask for the same thing. */
    public String fingerprint() {
        String canonical = String.join("\u0000", name, Integer.toString(sizeGb), String.valueOf(imageId),
                String.valueOf(ownerId), Boolean.toString(deleteOnTermination));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
