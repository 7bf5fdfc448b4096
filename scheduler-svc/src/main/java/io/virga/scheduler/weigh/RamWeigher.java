package io.virga.scheduler.weigh;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;

/** Spreads instances: the more free RAM (after overcommit) a host has, the better. */
public final class RamWeigher implements HostWeigher {
    private final AllocationRatios ratios;
    private final double multiplier;

    public RamWeigher(AllocationRatios ratios) {
        this(ratios, 1.0);
    }

    /** @param multiplier 1.0 spreads, a negative value stacks (fills the fullest host first) */
    public RamWeigher(AllocationRatios ratios, double multiplier) {
        this.ratios = ratios;
        this.multiplier = multiplier;
    }

    @Override
    public double weigh(HostState host, PlacementRequest request) {
        return ratios.freeRamMb(host);
    }

    @Override
    public double multiplier() {
        return multiplier;
    }
}
