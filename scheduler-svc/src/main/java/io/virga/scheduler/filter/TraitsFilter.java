package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Rejects hosts that lack any of the request's required traits: a flavor's kind and virt mode
 * ({@code COMPUTE_GUEST_CONTAINER}, {@code VIRT_MODE_FULL}), an image's requirements, or any custom
 * trait. The scheduler derives no traits itself; the caller names them in the request.
 * Its answer counts the hosts missing each trait:
 * "no host has the required traits COMPUTE_GUEST_CONTAINER (TraitsFilter rejected 3 hosts: missing
 * COMPUTE_GUEST_CONTAINER on 3 hosts)".
 */
public final class TraitsFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        TreeSet<String> missing = missing(host, request);
        return missing.isEmpty() ? FilterResult.pass() : FilterResult.reject("missing traits " + missing);
    }

    /** "missing COMPUTE_GUEST_CONTAINER on 3 hosts, VIRT_MODE_FULL on 1 host". */
    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        Map<String, Integer> counts = new TreeMap<>();
        rejected.forEach(h -> missing(h, request).forEach(t -> counts.merge(t, 1, Integer::sum)));
        return "missing " + counts.entrySet().stream()
                .map(e -> e.getKey() + " on " + HostFilter.hosts(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no host has the required traits " + String.join(", ", new TreeSet<>(request.requiredTraits()))
                + " (" + name() + " rejected " + HostFilter.hosts(rejected.size()) + ": " + reason(rejected, request) + ")";
    }

    private static TreeSet<String> missing(HostState host, PlacementRequest request) {
        TreeSet<String> missing = new TreeSet<>(request.requiredTraits());
        missing.removeAll(host.traits());
        return missing;
    }
}
