package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/** Rejects the hosts the request excludes (those that already failed it). */
public final class ExcludedHostsFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        return request.excludedHosts().contains(host.id()) ? FilterResult.reject("excluded by the request")
                : FilterResult.pass();
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "excluded by the request (already failed it)";
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        String which = rejected.size() == 1 ? "the only remaining host is" : "all " + rejected.size()
                + " remaining hosts are";
        return "no host left to try: " + which + " excluded by the request (already failed it)";
    }
}
