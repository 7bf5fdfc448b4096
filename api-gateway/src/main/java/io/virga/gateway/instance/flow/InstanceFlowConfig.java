package io.virga.gateway.instance.flow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Timeouts and limits of the instance flows (all with defaults; override as {@code virga.instance.*}). */
@ConfigMapping(prefix = "virga.instance")
public interface InstanceFlowConfig {
    /** How long a compute node may take to report a spawned guest RUNNING before that host counts as failed. */
    @WithDefault("120s")
    Duration spawnTimeout();

    /** Hosts tried before a create gives up (each spawn failure excludes its host). */
    @WithDefault("3")
    int maxHosts();

    /** Attempts at destroying a guest on an unreachable host before the orphan reaper takes over. */
    @WithDefault("5")
    int destroyAttempts();

    /** Deadline of a call to network-svc, scheduler-svc or a quick storage-svc call. */
    @WithDefault("10s")
    Duration callTimeout();

    /** Deadline of CreateVolume (copying an image may take a while). */
    @WithDefault("60s")
    Duration volumeCallTimeout();

    /** How long a boot volume may stay CREATING before the create fails. */
    @WithDefault("300s")
    Duration volumeBuildTimeout();

    /** How often the orphan reaper looks for guests to destroy (also its first retry delay). */
    @WithDefault("5s")
    Duration orphanInterval();

    /**
     * Destroy attempts on a host that never answers before the orphan reaper gives up on the guest
     * (logged as abandoned; the audit lists it). With the back-off capped at five minutes, 40 attempts
     * keep trying for about three hours.
     */
    @WithDefault("40")
    int orphanMaxAttempts();

    /** Deadline of the validation calls made while answering POST /v1/instances. */
    @WithDefault("5s")
    Duration validationTimeout();

    /** How long a compute node may take to report the power state an action asked for. */
    @WithDefault("120s")
    Duration actionTimeout();

    /** Deadline of streaming a disk (a snapshot into storage-svc, a cold migration's copy between nodes). */
    @WithDefault("3600s")
    Duration diskTransferTimeout();

    /** How long a destination node may take to report an evacuated guest RUNNING. */
    @WithDefault("300s")
    Duration evacuateTimeout();
}
