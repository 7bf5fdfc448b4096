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

    default AllocationRatios ratios() {
        return new AllocationRatios(cpuAllocationRatio(), ramAllocationRatio(), diskAllocationRatio());
    }
}
