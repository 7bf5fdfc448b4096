package io.virga.storage.backend;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Typed configuration of volumes and their backends ({@code virga.volumes.*}, docs/storage.md). */
@ConfigMapping(prefix = "virga.volumes")
public interface VolumeConfig {

    /** Volume type → backend name ({@code file}, {@code sim}). */
    Map<String, String> types();

    /** The type of a volume created without one. */
    @WithDefault("standard")
    String defaultType();

    /** Per backend name: capacity settings. */
    Map<String, BackendSettings> backends();

    /** The qemu-img binary of the file backend. */
    @WithDefault("qemu-img")
    String qemuImg();

    /** Longest a single qemu-img run may take (a multi-GiB copy). */
    @WithDefault("PT30M")
    Duration qemuImgTimeout();

    /** Threads running volume operations (copies, resizes) outside transactions. */
    @WithDefault("2")
    int workers();

    /** Default per-project quotas ({@code virga.volumes.quota.*}); -1: unlimited. */
    Quota quota();

    /** The limits of a project an admin has not set (as Cinder's defaults). */
    interface Quota {
        @WithDefault("10")
        long defaultVolumes();

        @WithDefault("1000")
        long defaultGigabytes();

        @WithDefault("10")
        long defaultSnapshots();
    }

    /** Capacity settings of one backend. */
    interface BackendSettings {
        /** Thin provisioning: provisioned bytes may reach physical bytes times this. */
        @WithDefault("10")
        double oversubscriptionRatio();

        /** Physical size to account with; empty: the file system's size (file) or 1 PiB (sim). */
        Optional<Long> capacityGb();
    }
}
