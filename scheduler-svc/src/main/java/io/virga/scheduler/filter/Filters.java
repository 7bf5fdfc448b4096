package io.virga.scheduler.filter;

import io.virga.scheduler.host.AllocationRatios;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The standard filter chain, in the order hosts run through it. */
public final class Filters {
    private Filters() {
    }

    /**
     * A requested host first (only it goes on), then liveness and administrative state (so "nothing is up" is told
     * as such), then what the request excludes or requires (zone, aggregates, traits, server group), then capacity.
     */
    public static List<HostFilter> standard(AllocationRatios ratios, Duration hostTimeout, Clock clock) {
        return List.of(
                new RequestedHostFilter(),
                new LivenessFilter(hostTimeout, clock),
                new EnabledFilter(),
                new ExcludedHostsFilter(),
                new HypervisorTypeFilter(),
                new AvailabilityZoneFilter(),
                new AggregateTenancyFilter(),
                new TraitsFilter(),
                new ForbiddenTraitsFilter(),
                new ServerGroupFilter(),
                new ComputeFilter(ratios),
                new RamFilter(ratios),
                new DiskFilter(ratios),
                new ResourceClassFilter());
    }
}
