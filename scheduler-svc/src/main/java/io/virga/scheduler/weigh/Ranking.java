package io.virga.scheduler.weigh;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders fitting hosts best first: the sum over weighers of
 * {@code multiplier × score normalised to [0, 1] across the candidates},
 * ties broken by host name, then id, so the same inputs always give the
 * same order (no randomness, tests and replicas agree).
 */
public final class Ranking {
    private final List<HostWeigher> weighers;

    public Ranking(List<HostWeigher> weighers) {
        this.weighers = List.copyOf(weighers);
    }

    /** A new list of {@code hosts}, best first. */
    public List<HostState> rank(List<HostState> hosts, PlacementRequest request) {
        Map<String, Double> total = new HashMap<>();
        hosts.forEach(h -> total.put(h.id(), 0.0));
        for (HostWeigher weigher : weighers) {
            Map<String, Double> raw = new HashMap<>();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (HostState h : hosts) {
                double w = weigher.weigh(h, request);
                raw.put(h.id(), w);
                min = Math.min(min, w);
                max = Math.max(max, w);
            }
            double range = max - min;
            for (HostState h : hosts) {
                double normalised = range > 0 ? (raw.get(h.id()) - min) / range : 0.0;
                total.merge(h.id(), weigher.multiplier() * normalised, Double::sum);
            }
        }
        List<HostState> ranked = new ArrayList<>(hosts);
        ranked.sort(Comparator.<HostState>comparingDouble(h -> -total.get(h.id()))
                .thenComparing(HostState::name)
                .thenComparing(HostState::id));
        return ranked;
    }
}
