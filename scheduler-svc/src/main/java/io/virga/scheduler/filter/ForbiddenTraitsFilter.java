package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Rejects hosts that have any of the request's forbidden traits (flavor extra_specs or image properties "forbidden"). */
public final class ForbiddenTraitsFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        if (request.forbiddenTraits().isEmpty()) {
            return FilterResult.pass();
        }
        TreeSet<String> has = present(host, request);
        return has.isEmpty() ? FilterResult.pass() : FilterResult.reject("has forbidden traits " + has);
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        Map<String, Integer> counts = new TreeMap<>();
        rejected.forEach(h -> present(h, request).forEach(t -> counts.merge(t, 1, Integer::sum)));
        return "forbidden " + counts.entrySet().stream()
                .map(e -> e.getKey() + " on " + HostFilter.hosts(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "every host has a forbidden trait of " + String.join(", ", new TreeSet<>(request.forbiddenTraits()))
                + " (" + name() + " rejected " + HostFilter.hosts(rejected.size()) + ": " + reason(rejected, request)
                + ")";
    }

    private static TreeSet<String> present(HostState host, PlacementRequest request) {
        TreeSet<String> has = new TreeSet<>(request.forbiddenTraits());
        has.retainAll(host.traits());
        return has;
    }
}
