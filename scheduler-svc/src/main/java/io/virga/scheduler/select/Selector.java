package io.virga.scheduler.select;

import io.virga.scheduler.filter.FilterResult;
import io.virga.scheduler.filter.HostFilter;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.weigh.Ranking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters then weighs. Pure: the same hosts and request give the same
 * {@link Selection}. Each host runs through the filters in order and is
 * counted against the first one that rejects it. When no host is left, the
 * message is the headline of the last filter that rejected anything (the
 * one that turned away the hosts that got furthest: the binding constraint).
 */
public final class Selector {
    public static final String NO_HOSTS = "no compute hosts are up";

    private final List<HostFilter> filters;
    private final Ranking ranking;

    public Selector(List<HostFilter> filters, Ranking ranking) {
        this.filters = List.copyOf(filters);
        this.ranking = ranking;
    }

    public Selection select(List<HostState> hosts, PlacementRequest request) {
        return select(hosts.toArray(new HostState[0]), 0, Integer.MAX_VALUE, request);
    }

    /**
     * Filters from {@code hosts[start]} on (wrapping around) until {@code want}
     * hosts passed, then ranks those. Like kube-scheduler's "nodes to score":
     * at 10,000 hosts a placement looks at the first few dozen that fit from a
     * rotating start instead of at all of them. When fewer than {@code want}
     * pass, every host was examined, so a "no valid host" answer counts every
     * host's rejection.
     */
    public Selection select(HostState[] hosts, int start, int want, PlacementRequest request) {
        if (hosts.length == 0) {
            return Selection.unschedulable(NO_HOSTS + " (no host has reported yet)", 0, List.of());
        }
        Map<HostFilter, List<HostState>> rejected = new LinkedHashMap<>();
        filters.forEach(f -> rejected.put(f, new ArrayList<>()));
        List<HostState> passed = new ArrayList<>();
        int n = hosts.length;
        int from = Math.floorMod(start, n);
        for (int k = 0; k < n && passed.size() < want; k++) {
            HostState host = hosts[(from + k) % n];
            HostFilter rejecter = firstRejecting(host, request);
            if (rejecter == null) {
                passed.add(host);
            } else {
                rejected.get(rejecter).add(host);
            }
        }
        if (!passed.isEmpty()) {
            return Selection.fits(ranking.rank(passed, request));
        }
        List<Selection.Rejection> rejections = new ArrayList<>();
        String message = null;
        for (Map.Entry<HostFilter, List<HostState>> e : rejected.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            HostFilter f = e.getKey();
            rejections.add(new Selection.Rejection(f.name(), e.getValue().size(), f.reason(e.getValue(), request)));
            message = f.headline(e.getValue(), request);
        }
        return Selection.unschedulable(message, n, rejections);
    }

    private HostFilter firstRejecting(HostState host, PlacementRequest request) {
        for (HostFilter f : filters) {
            FilterResult r = f.test(host, request);
            if (!r.passed()) {
                return f;
            }
        }
        return null;
    }
}
