package io.virga.storage.volume;

import io.virga.storage.image.Image;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The volume backend of today: a volume is its database record and nothing
 * else (no file, no block device). Sizes, image references and ownership are
 * tracked honestly, but no bytes are provisioned; real qcow2 volumes come
 * with a file backend implementing {@link VolumeBackend}.
 */
@ApplicationScoped
public class RecordOnlyBackend implements VolumeBackend {

    @Override
    public void create(Volume volume, Optional<Image> source) {
        // Nothing to provision: the record is the volume.
    }

    @Override
    public void delete(Volume volume) {
        // Nothing to release.
    }
}
