package io.virga.scheduler.filter;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import java.util.Comparator;
import java.util.List;

/**
 * Shared shape of the capacity filters: a host passes when the requested
 * amount fits in its free amount after overcommit
 * ({@code floor(total * ratio) - used}). Totals reported below current usage
 * leave a negative free amount: nothing fits, not even a zero request.
 */
abstract class ResourceFilter implements HostFilter {
    protected final AllocationRatios ratios;

    ResourceFilter(AllocationRatios ratios) {
        this.ratios = ratios;
    }

    /** How much of this resource the request asks for. */
    abstract long requested(PlacementRequest request);

    /** Free amount on the host after overcommit; may be negative. */
    abstract long free(HostState host);

    /** Raw amounts for the rejection table, e.g. "65536 MB RAM" / "16384 MB". */
    abstract String rawNeed(long amount);

    abstract String rawHave(long amount);

    /** Human amounts for the headline, e.g. "64 GiB free RAM" / "16 GiB". */
    abstract String humanNeed(long amount);

    abstract String humanHave(long amount);

    @Override
    public final FilterResult test(HostState host, PlacementRequest request) {
        long free = free(host);
        long need = requested(request);
        if (need <= free) {
            return FilterResult.pass();
        }
        return FilterResult.reject("needs " + rawNeed(need) + ", " + rawHave(Math.max(free, 0)) + " free");
    }

    @Override
    public final String reason(List<HostState> rejected, PlacementRequest request) {
        return "needs " + rawNeed(requested(request)) + ", most free is " + rawHave(mostFree(rejected));
    }

    @Override
    public final String headline(List<HostState> rejected, PlacementRequest request) {
        HostState best = roomiest(rejected);
        return "no host has " + humanNeed(requested(request)) + " (most free: "
                + humanHave(Math.max(free(best), 0)) + " on " + best.name() + ")";
    }

    private long mostFree(List<HostState> hosts) {
        return Math.max(free(roomiest(hosts)), 0);
    }

    private HostState roomiest(List<HostState> hosts) {
        return hosts.stream()
                .max(Comparator.comparingLong(this::free).thenComparing(HostState::name, Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalArgumentException("no rejected hosts to explain"));
    }
}
