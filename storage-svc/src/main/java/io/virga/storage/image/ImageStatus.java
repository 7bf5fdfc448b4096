package io.virga.storage.image;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of an image. Declared transitions:
 *
 * <pre>
 * from    | to     | by
 * --------+--------+----------------------------------------------
 * (none)  | QUEUED | CreateImage
 * QUEUED  | ACTIVE | UploadImageData completed (size and sha256 known)
 * QUEUED  | (gone) | DeleteImage
 * ACTIVE  | (gone) | DeleteImage, when no volume references it
 * </pre>
 *
 * A failed upload leaves an image QUEUED; ACTIVE is final (data is immutable).
 */
public enum ImageStatus {
    QUEUED, ACTIVE;

    private Set<ImageStatus> next() {
        return this == QUEUED ? EnumSet.of(ACTIVE) : EnumSet.noneOf(ImageStatus.class);
    }

    public boolean canBecome(ImageStatus target) {
        return next().contains(target);
    }
}
