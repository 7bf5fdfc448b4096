package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/** With a requested availability zone, rejects hosts in another zone (or in none). */
public final class AvailabilityZoneFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        String az = request.availabilityZone();
        return az.isEmpty() || az.equals(host.placement().availabilityZone()) ? FilterResult.pass()
                : FilterResult.reject("not in availability zone " + az);
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "not in AZ " + request.availabilityZone();
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no host fits in availability zone " + request.availabilityZone() + " ("
                + HostFilter.hosts(rejected.size()) + " not in AZ " + request.availabilityZone() + ")";
    }
}
