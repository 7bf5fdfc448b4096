package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/** Rejects hosts an operator disabled or put in maintenance. */
public final class EnabledFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        if (host.maintenance()) {
            return FilterResult.reject("in maintenance");
        }
        return host.enabled() ? FilterResult.pass() : FilterResult.reject("disabled");
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "host disabled or in maintenance";
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no enabled compute hosts are up (" + HostFilter.hosts(rejected.size()) + " disabled or in maintenance)";
    }
}
