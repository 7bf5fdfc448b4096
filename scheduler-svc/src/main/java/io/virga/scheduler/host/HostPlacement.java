package io.virga.scheduler.host;

import java.util.Objects;
import java.util.Set;

/**
 * Where a host stands for placement beyond its resources: its availability
 * zone (empty: the default zone), the aggregates it belongs to, and the
 * projects and flavors its aggregates restrict it to (empty: any).
 */
public record HostPlacement(String availabilityZone, Set<String> aggregates, Set<String> projects,
                            Set<String> flavors) {
    public static final HostPlacement NONE = new HostPlacement("", Set.of(), Set.of(), Set.of());

    public HostPlacement {
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        aggregates = Set.copyOf(aggregates);
        projects = Set.copyOf(projects);
        flavors = Set.copyOf(flavors);
    }
}
