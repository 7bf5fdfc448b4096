package io.virga.gateway.image;

import io.virga.contracts.storage.v1.Image;

/** JSON shape of an image. */
public record ImageView(String id, String projectId, String name, String diskFormat, String status, long sizeBytes,
        String sha256, int minDiskGb, String visibility, String createdAt, java.util.Map<String, String> properties) {
    static ImageView of(Image i) {
        return new ImageView(i.getId(), i.getProjectId(), i.getName(), i.getDiskFormat(), i.getStatus(),
                i.getSizeBytes(), i.getSha256().isEmpty() ? null : i.getSha256(), i.getMinDiskGb(),
                i.getVisibility(), i.getCreatedAt(), new java.util.TreeMap<>(i.getPropertiesMap()));
    }
}
