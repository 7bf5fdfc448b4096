package io.virga.scheduler.filter;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Units;

/** Rejects hosts without enough free disk: {@code used + requested <= floor(total * disk ratio)}. */
public final class DiskFilter extends ResourceFilter {
    public DiskFilter(AllocationRatios ratios) {
        super(ratios);
    }

    @Override
    long requested(PlacementRequest request) {
        return request.resources().diskGb();
    }

    @Override
    long free(HostState host) {
        return ratios.freeDiskGb(host);
    }

    @Override
    String rawNeed(long amount) {
        return Units.gb(amount) + " disk";
    }

    @Override
    String rawHave(long amount) {
        return Units.gb(amount);
    }

    @Override
    String humanNeed(long amount) {
        return Units.gb(amount) + " free disk";
    }

    @Override
    String humanHave(long amount) {
        return Units.gb(amount);
    }
}
