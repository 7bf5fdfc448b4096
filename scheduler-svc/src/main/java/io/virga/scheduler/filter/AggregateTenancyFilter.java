package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/**
 * Aggregate metadata {@code filter_project_ids} / {@code filter_flavor_ids}
 * reserve a host for those projects / flavors: other requests are rejected
 * there. Hosts without such metadata take anyone.
 */
public final class AggregateTenancyFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        var p = host.placement();
        if (!p.projects().isEmpty() && !p.projects().contains(request.projectId())) {
            return FilterResult.reject("reserved for other projects");
        }
        if (!p.flavors().isEmpty() && !p.flavors().contains(request.flavorId())) {
            return FilterResult.reject("reserved for other flavors");
        }
        return FilterResult.pass();
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "reserved by aggregate metadata for other projects or flavors";
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no host is open to project " + request.projectId()
                + (request.flavorId().isEmpty() ? "" : " and flavor " + request.flavorId()) + " ("
                + HostFilter.hosts(rejected.size()) + " reserved by aggregates for other projects or flavors)";
    }
}
