package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Rejects hosts whose last heartbeat is not younger than the host timeout (status DOWN). */
public final class LivenessFilter implements HostFilter {
    private final Duration timeout;
    private final Clock clock;

    public LivenessFilter(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        if (HostStatus.of(host, clock.instant(), timeout) == HostStatus.UP) {
            return FilterResult.pass();
        }
        return FilterResult.reject("down: last heartbeat at " + host.lastHeartbeatAt());
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        return "down: no heartbeat within " + timeout.toSeconds() + "s";
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no compute hosts are up (" + HostFilter.hosts(rejected.size()) + " without a heartbeat within "
                + timeout.toSeconds() + "s)";
    }
}
