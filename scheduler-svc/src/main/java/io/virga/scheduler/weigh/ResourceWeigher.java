package io.virga.scheduler.weigh;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Inventory;

/**
 * Weighs by the free amount of one resource class after overcommit. A
 * positive multiplier spreads (emptiest host first), a negative one packs
 * (fullest host that still fits first, bin-packing).
 */
public final class ResourceWeigher implements HostWeigher {
    private final String resourceClass;
    private final double multiplier;

    public ResourceWeigher(String resourceClass, double multiplier) {
        this.resourceClass = resourceClass;
        this.multiplier = multiplier;
    }

    @Override
    public String name() {
        return "ResourceWeigher[" + resourceClass + "]";
    }

    @Override
    public double weigh(HostState host, PlacementRequest request) {
        Inventory inv = host.inventory(resourceClass);
        return inv == null ? 0 : inv.free();
    }

    @Override
    public double multiplier() {
        return multiplier;
    }
}
