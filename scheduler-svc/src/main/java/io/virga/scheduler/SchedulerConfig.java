package io.virga.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.virga.scheduler.host.AllocationRatios;
import java.time.Duration;

/** {@code virga.scheduler.*}: placement settings. */
@ConfigMapping(prefix = "virga.scheduler")
public interface SchedulerConfig {
    /** A host is UP while its last heartbeat is younger than this. */
    @WithDefault("30s")
    Duration hostTimeout();

    /**
     * How long this scheduler judges liveness at the newest heartbeat when no
     * host has reported within the host timeout (it is deaf, not every host
     * dead); see {@link io.virga.scheduler.host.LivenessClock}.
     */
    @WithDefault("5m")
    Duration deafLimit();

    /** vCPU overcommit: a host offers floor(vcpus × ratio). */
    @WithDefault("4.0")
    double cpuAllocationRatio();

    @WithDefault("1.0")
    double ramAllocationRatio();

    @WithDefault("1.0")
    double diskAllocationRatio();

    /** Filter/weigh/claim rounds before a request under heavy contention gives up. */
    @WithDefault("16")
    int claimAttempts();

    /** Upper bound for SelectRequest.alternates. */
    @WithDefault("16")
    int maxAlternates();

    /**
     * Hosts scored per placement: filtering stops once this many fit (from a
     * random start); fewer fitting hosts means every host was examined.
     */
    @WithDefault("64")
    int sampleSize();

    /** Most claims committed in one transaction. */
    @WithDefault("128")
    int maxBatch();

    /**
     * Weighers per resource class, {@code CLASS:multiplier} comma-separated; a
     * positive multiplier spreads (emptiest first), a negative one packs.
     */
    @WithDefault("MEMORY_MB:1.0")
    String weights();

    /** Multiplier of the soft server-group weigher (soft-affinity, soft-anti-affinity). */
    @WithDefault("10.0")
    double serverGroupWeight();

    /** How often each replica re-reads every host in the background (its cache otherwise follows changes). */
    @WithDefault("60s")
    Duration cacheResync();

    default AllocationRatios ratios() {
        return new AllocationRatios(cpuAllocationRatio(), ramAllocationRatio(), diskAllocationRatio());
    }
}
