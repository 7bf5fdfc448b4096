package io.virga.storage.image;

import io.virga.storage.Fields;
import java.util.Map;

/** A validated CreateImage request. */
public record NewImage(String projectId, String name, DiskFormat diskFormat, int minDiskGb, Visibility visibility,
        Map<String, String> properties) {
    public static final int MAX_DISK_GB = 16384;

    /** Validates raw request fields (INVALID_ARGUMENT "field: message" on the first bad one). */
    public static NewImage of(String projectId, String name, String diskFormat, int minDiskGbUnsigned,
            String visibility) {
        return of(projectId, name, diskFormat, minDiskGbUnsigned, visibility, Map.of());
    }

    /** As {@link #of(String, String, String, int, String)}, with properties ({@link ImageProperties}). */
    public static NewImage of(String projectId, String name, String diskFormat, int minDiskGbUnsigned,
            String visibility, Map<String, String> properties) {
        return new NewImage(
                Fields.reference("project_id", projectId),
                Fields.text("name", name, 1, 128),
                DiskFormat.parse("disk_format", diskFormat),
                Fields.range("min_disk_gb", minDiskGbUnsigned, 0, MAX_DISK_GB),
                Visibility.parse("visibility", visibility),
                ImageProperties.validate(properties));
    }
}
