package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Inventory;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every requested resource class beyond the standard three must be offered
 * with enough room, and every requested amount must respect the
 * inventory's min/max unit and step (e.g. memory in 256 MB steps).
 */
public final class ResourceClassFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        String bad = firstBad(host, request);
        return bad == null ? FilterResult.pass() : FilterResult.reject(bad);
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        TreeSet<String> reasons = new TreeSet<>();
        rejected.forEach(h -> reasons.add(firstBad(h, request)));
        return String.join("; ", reasons);
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        return "no host offers " + request.resources().byClass() + " in allowed units ("
                + HostFilter.hosts(rejected.size()) + ": " + reason(rejected, request) + ")";
    }

    private static String firstBad(HostState host, PlacementRequest request) {
        for (Map.Entry<String, Long> e : request.resources().byClass().entrySet()) {
            Inventory inv = host.inventory(e.getKey());
            long amount = e.getValue();
            if (inv == null) {
                return "no " + e.getKey() + " inventory";
            }
            if (!inv.unitOk(amount)) {
                return e.getKey() + " " + amount + " outside unit " + inv.minUnit() + ".." + inv.maxUnit()
                        + " step " + inv.stepSize();
            }
            if (!request.resources().other().isEmpty() && request.resources().other().containsKey(e.getKey())
                    && amount > inv.free()) {
                return "needs " + amount + " " + e.getKey() + ", " + Math.max(inv.free(), 0) + " free";
            }
        }
        return null;
    }
}
