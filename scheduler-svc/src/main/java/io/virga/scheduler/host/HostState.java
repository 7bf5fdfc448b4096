package io.virga.scheduler.host;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one host as a resource provider: its row and its inventory
 * rows (one per resource class). {@code generation} moves with every change
 * placement depends on; replicas use it (and the row's change sequence) to
 * know their cached copy is current.
 *
 * @param enabled         false when an operator disabled it (or put it in maintenance)
 * @param disabledReason  why it was disabled, empty when enabled
 * @param maintenance     in maintenance: not placed on, shown as such
 * @param inventories     by resource class
 * @param instances       number of claims held on the host, when the reader counted them (lists do, the cache does not)
 * @param placement       availability zone and aggregate restrictions
 */
public record HostState(String id, String name, String hypervisorType, String computeEndpoint, boolean enabled,
                        String disabledReason, boolean maintenance, Map<String, Inventory> inventories,
                        Set<String> traits, Instant lastHeartbeatAt, long generation, int instances,
                        HostPlacement placement) {
    public HostState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(computeEndpoint, "computeEndpoint");
        Objects.requireNonNull(disabledReason, "disabledReason");
        inventories = Map.copyOf(inventories);
        traits = Set.copyOf(traits);
        Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
        Objects.requireNonNull(placement, "placement");
    }

    /** The inventory of {@code resourceClass}, or null when the host offers none. */
    public Inventory inventory(String resourceClass) {
        return inventories.get(resourceClass);
    }

    /** Free amount of {@code resourceClass} after overcommit (negative when over; 0 when not offered). */
    public long free(String resourceClass) {
        Inventory i = inventories.get(resourceClass);
        return i == null ? 0 : i.free();
    }

    /** Totals of the standard classes. */
    public Resources total() {
        return new Resources((int) amount(ResourceClass.VCPU, true), amount(ResourceClass.MEMORY_MB, true),
                amount(ResourceClass.DISK_GB, true));
    }

    /** Usage of the standard classes. */
    public Resources used() {
        return new Resources((int) amount(ResourceClass.VCPU, false), amount(ResourceClass.MEMORY_MB, false),
                amount(ResourceClass.DISK_GB, false));
    }

    /** This snapshot with {@code delta} added to (or, negative, taken from) the usage of each class. */
    public HostState plusUsed(Map<String, Long> delta) {
        Map<String, Inventory> inv = new java.util.HashMap<>(inventories);
        delta.forEach((rc, amount) -> inv.computeIfPresent(rc, (k, i) -> i.withUsed(Math.max(0, i.used() + amount))));
        return new HostState(id, name, hypervisorType, computeEndpoint, enabled, disabledReason, maintenance, inv,
                traits, lastHeartbeatAt, generation, instances, placement);
    }

    private long amount(String rc, boolean total) {
        Inventory i = inventories.get(rc);
        return i == null ? 0 : total ? i.total() : i.used();
    }
}
