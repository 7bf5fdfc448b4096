package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;
import java.util.TreeSet;

/** When the request names a hypervisor type (sim, qemu, runc), rejects hosts of any other type. */
public final class HypervisorTypeFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        if (request.hypervisorType().isEmpty() || request.hypervisorType().equals(host.hypervisorType())) {
            return FilterResult.pass();
        }
        return FilterResult.reject("hypervisor type is " + host.hypervisorType());
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "hypervisor type is not " + request.hypervisorType();
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        TreeSet<String> types = new TreeSet<>();
        rejected.forEach(h -> types.add(h.hypervisorType()));
        return "no host runs hypervisor type " + request.hypervisorType() + " (available: "
                + String.join(", ", types) + ")";
    }
}
