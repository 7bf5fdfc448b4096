package io.virga.storage.volume;

import io.virga.storage.image.Image;
import java.util.Optional;

/**
 * Where a volume's data lives. {@link VolumeService} owns the records and
 * calls a backend inside the record's transaction, so that a backend failure
 * leaves no record behind and vice versa.
 *
 * <p>Today's backend is {@link RecordOnlyBackend} (a volume is a database
 * record only); a qcow2 backend (copy-on-write overlays on the image file)
 * plugs in here.
 */
public interface VolumeBackend {

    /**
     * Provisions the storage of a new volume.
     *
     * <p>Preconditions: {@code volume.id()} is new; {@code source}, when
     * present, is ACTIVE, its data file is in place and cannot be deleted
     * before the caller commits (its row is locked). Postcondition: the
     * volume's storage exists and holds the source's data (or zeros).
     * Idempotent on {@code volume.id()}. Cleanup: if this throws, it leaves
     * nothing behind; if the caller's transaction fails afterwards, the caller
     * calls {@link #delete}.
     */
    void create(Volume volume, Optional<Image> source);

    /**
     * Releases the storage of a volume whose record is about to be removed
     * (same transaction; if this throws, the record stays). Idempotent: a
     * volume without storage is fine.
     */
    void delete(Volume volume);
}
