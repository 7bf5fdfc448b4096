package io.virga.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Typed configuration of storage-svc ({@code virga.storage.*}). */
@ConfigMapping(prefix = "virga.storage")
public interface StorageConfig {

    /** Root of the service's files; image data lives under {@code <data-dir>/images/<id>}. */
    @WithDefault(".virga/storage")
    Path dataDir();

    /** Largest image an upload may carry, in bytes (default 20 GiB); more is RESOURCE_EXHAUSTED. */
    @WithDefault("21474836480")
    long maxImageBytes();
}
