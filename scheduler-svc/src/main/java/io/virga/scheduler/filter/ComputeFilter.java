package io.virga.scheduler.filter;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;

/** Rejects hosts without enough free vCPUs: {@code used + requested <= floor(total * cpu ratio)}. */
public final class ComputeFilter extends ResourceFilter {
    public ComputeFilter(AllocationRatios ratios) {
        super(ratios);
    }

    @Override
    long requested(PlacementRequest request) {
        return request.resources().vcpus();
    }

    @Override
    long free(HostState host) {
        return ratios.freeVcpus(host);
    }

    @Override
    String rawNeed(long amount) {
        return vcpus(amount);
    }

    @Override
    String rawHave(long amount) {
        return String.valueOf(amount);
    }

    @Override
    String humanNeed(long amount) {
        return amount + (amount == 1 ? " free vCPU" : " free vCPUs");
    }

    @Override
    String humanHave(long amount) {
        return vcpus(amount);
    }

    private static String vcpus(long amount) {
        return amount + (amount == 1 ? " vCPU" : " vCPUs");
    }
}
