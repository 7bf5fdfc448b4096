package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/** Rejects hosts an operator disabled. */
public final class EnabledFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        return host.enabled() ? FilterResult.pass() : FilterResult.reject("disabled");
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "host disabled";
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no enabled compute hosts are up (" + HostFilter.hosts(rejected.size()) + " disabled)";
    }
}
