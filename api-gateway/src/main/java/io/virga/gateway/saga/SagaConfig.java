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

    /**
     * How long a claim of a saga lasts without renewal. The runner that claimed
     * a saga renews its lease every {@code lease / 3} for as long as it works on
     * it (one fenced UPDATE for all the sagas the process holds), so a step may
     * take longer than this; only a runner that stops renewing (it died, hung
     * or lost the database) loses its sagas, at most one lease after its last
     * renewal, after which any runner takes them over within a poll interval.
     * A takeover runs the saga's current step again — steps are idempotent
     * ({@link SagaStep}) — and the old holder, should it still be alive, can
     * write nothing more for that saga (every write is fenced by its lease
     * token). Shorter means faster recovery after a crash and more renewal
     * writes; it must exceed the longest database pause a live runner should
     * survive (two renewals in a row may fail before a lease runs out).
     * At least 300 ms.
     */
    @WithDefault("15s")
    Duration lease();

    /**
     * On shutdown, how long steps in flight may still run before the runner
     * hands its leases back anyway ({@link SagaRunner#shutdown()}). Keep it
     * well below the time the process manager waits before SIGKILL (devstack:
     * 10 s); a step cut off by it is run again by the next runner.
     */
    @WithDefault("5s")
    Duration shutdownGrace();

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
