package io.virga.scheduler.filter;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Units;

/** Rejects hosts without enough free RAM: {@code used + requested <= floor(total * ram ratio)}. */
public final class RamFilter extends ResourceFilter {
    public RamFilter(AllocationRatios ratios) {
        super(ratios);
    }

    @Override
    long requested(PlacementRequest request) {
        return request.resources().ramMb();
    }

    @Override
    long free(HostState host) {
        return ratios.freeRamMb(host);
    }

    @Override
    String rawNeed(long amount) {
        return amount + " MB RAM";
    }

    @Override
    String rawHave(long amount) {
        return amount + " MB";
    }

    @Override
    String humanNeed(long amount) {
        return Units.mib(amount) + " free RAM";
    }

    @Override
    String humanHave(long amount) {
        return Units.mib(amount);
    }
}
