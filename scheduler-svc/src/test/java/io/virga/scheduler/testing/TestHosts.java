package io.virga.scheduler.testing;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostPlacement;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Inventory;
import io.virga.scheduler.host.ResourceClass;
import java.util.HashMap;
import java.util.Map;
import io.virga.scheduler.host.Resources;
import java.time.Instant;
import java.util.Set;

/** Builders for host snapshots and requests in plain unit tests. */
public final class TestHosts {
    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private TestHosts() {
    }

    /** An enabled, live sim host with no usage and no traits (default ratios: VCPU 4.0, others 1.0). */
    public static HostState host(String name, int vcpus, long ramMb, long diskGb) {
        return new HostState("h-" + name, name, "sim", name + ":9190", true, "", false, Map.of(
                ResourceClass.VCPU, Inventory.of(vcpus, 4.0),
                ResourceClass.MEMORY_MB, Inventory.of(ramMb, 1.0),
                ResourceClass.DISK_GB, Inventory.of(diskGb, 1.0)),
                Set.of(), NOW.minusSeconds(1), 0, 0, HostPlacement.NONE);
    }

    public static HostState used(HostState h, int vcpus, long ramMb, long diskGb) {
        Map<String, Inventory> inv = new HashMap<>(h.inventories());
        inv.computeIfPresent(ResourceClass.VCPU, (k, i) -> i.withUsed(vcpus));
        inv.computeIfPresent(ResourceClass.MEMORY_MB, (k, i) -> i.withUsed(ramMb));
        inv.computeIfPresent(ResourceClass.DISK_GB, (k, i) -> i.withUsed(diskGb));
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(),
                h.disabledReason(), h.maintenance(), inv, h.traits(), h.lastHeartbeatAt(), h.generation(),
                h.instances(), h.placement());
    }

    /** {@code h} with the allocation ratio of {@code rc} set to {@code ratio} (as an admin or the config would). */
    public static HostState ratio(HostState h, String rc, double ratio) {
        Map<String, Inventory> inv = new HashMap<>(h.inventories());
        inv.computeIfPresent(rc, (k, i) -> new Inventory(i.total(), i.reserved(), i.minUnit(),
                Math.max(i.maxUnit(), (long) Math.floor(i.total() * ratio)), i.stepSize(), ratio, i.used()));
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(),
                h.disabledReason(), h.maintenance(), inv, h.traits(), h.lastHeartbeatAt(), h.generation(),
                h.instances(), h.placement());
    }

    public static HostState typed(HostState h, String type) {
        return new HostState(h.id(), h.name(), type, h.computeEndpoint(), h.enabled(), h.disabledReason(),
                h.maintenance(), h.inventories(), h.traits(), h.lastHeartbeatAt(), h.generation(), h.instances(),
                h.placement());
    }

    public static HostState traits(HostState h, String... traits) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(),
                h.disabledReason(), h.maintenance(), h.inventories(), Set.of(traits), h.lastHeartbeatAt(),
                h.generation(), h.instances(), h.placement());
    }

    public static HostState disabled(HostState h) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), false, "test",
                h.maintenance(), h.inventories(), h.traits(), h.lastHeartbeatAt(), h.generation(), h.instances(),
                h.placement());
    }

    public static HostState zoned(HostState h, String az, Set<String> projects) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(),
                h.disabledReason(), h.maintenance(), h.inventories(), h.traits(), h.lastHeartbeatAt(),
                h.generation(), h.instances(), new HostPlacement(az, Set.of(), projects, Set.of()));
    }

    public static HostState heartbeat(HostState h, Instant at) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(),
                h.disabledReason(), h.maintenance(), h.inventories(), h.traits(), at, h.generation(), h.instances(),
                h.placement());
    }

    public static PlacementRequest request(int vcpus, long ramMb, long diskGb) {
        return new PlacementRequest("i-test", "pr-test", new Resources(vcpus, ramMb, diskGb), "", Set.of(), Set.of(), 0);
    }

    public static PlacementRequest withType(PlacementRequest r, String type) {
        return new PlacementRequest(r.consumerId(), r.projectId(), r.resources(), type, r.requiredTraits(),
                r.excludedHosts(), r.alternates());
    }

    public static PlacementRequest withTraits(PlacementRequest r, String... traits) {
        return new PlacementRequest(r.consumerId(), r.projectId(), r.resources(), r.hypervisorType(), Set.of(traits),
                r.excludedHosts(), r.alternates());
    }

    public static PlacementRequest excluding(PlacementRequest r, String... hostIds) {
        return new PlacementRequest(r.consumerId(), r.projectId(), r.resources(), r.hypervisorType(),
                r.requiredTraits(), Set.of(hostIds), r.alternates());
    }
}
