package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/**
 * With a requested host (an admin's choice), rejects every other host. It runs
 * first, so that the requested host alone meets the other filters and the
 * answer names why it does not fit (down, disabled, excluded, full…).
 */
public final class RequestedHostFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        return request.requestedHost().isEmpty() || request.requestedHost().equals(host.id()) ? FilterResult.pass()
                : FilterResult.reject("not the requested host " + request.requestedHost());
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "not the requested host " + request.requestedHost();
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "the requested host " + request.requestedHost() + " is not a known compute host";
    }
}
