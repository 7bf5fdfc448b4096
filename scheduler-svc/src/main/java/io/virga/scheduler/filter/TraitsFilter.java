package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;
import java.util.TreeSet;

/** Rejects hosts that lack any of the request's required traits. */
public final class TraitsFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        TreeSet<String> missing = missing(host, request);
        return missing.isEmpty() ? FilterResult.pass() : FilterResult.reject("missing traits " + missing);
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        TreeSet<String> missing = new TreeSet<>();
        rejected.forEach(h -> missing.addAll(missing(h, request)));
        return "missing required traits " + String.join(", ", missing);
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no host has the required traits " + String.join(", ", new TreeSet<>(request.requiredTraits()))
                + " (" + reason(rejected, request).replace("missing required traits", "missing:") + ")";
    }

    private static TreeSet<String> missing(HostState host, PlacementRequest request) {
        TreeSet<String> missing = new TreeSet<>(request.requiredTraits());
        missing.removeAll(host.traits());
        return missing;
    }
}
