package io.virga.gateway.saga;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of the instance sagas (all with defaults; override as {@code virga.saga.*}). */
@ConfigMapping(prefix = "virga.saga")
public interface SagaConfig {
    /** Run sagas in this process (a gateway replica may opt out). */
    @WithDefault("true")
    boolean enabled();

    /** Worker threads; each runs one step at a time. */
    @WithDefault("4")
    int workers();

    /** How often idle workers look for due sagas (they are also woken when a saga is made). */
    @WithDefault("200ms")
    Duration pollInterval();

    /** How long a claimed saga belongs to its runner; longer than any step. Expired leases are taken over. */
    @WithDefault("120s")
    Duration lease();

    /** How long a compute node may take to report a spawned guest RUNNING before that host counts as failed. */
    @WithDefault("120s")
    Duration spawnTimeout();

    /** Hosts tried before a create gives up (each spawn failure excludes its host). */
    @WithDefault("3")
    int maxHosts();

    /** Attempts of a forward step that keeps failing transiently before the saga compensates. */
    @WithDefault("5")
    int maxAttempts();

    /** First retry delay; doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration retryBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

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

    /** Deadline of the validation calls made while answering POST /v1/instances. */
    @WithDefault("5s")
    Duration validationTimeout();
}
