package io.virga.scheduler.testing;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Resources;
import java.time.Instant;
import java.util.Set;

/** Builders for host snapshots and requests in plain unit tests. */
public final class TestHosts {
    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private TestHosts() {
    }

    /** An enabled, live sim host with no usage and no traits. */
    public static HostState host(String name, int vcpus, long ramMb, long diskGb) {
        return new HostState("h-" + name, name, "sim", name + ":9190", true, new Resources(vcpus, ramMb, diskGb),
                Resources.ZERO, Set.of(), NOW.minusSeconds(1), 0, 0);
    }

    public static HostState used(HostState h, int vcpus, long ramMb, long diskGb) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(), h.total(),
                new Resources(vcpus, ramMb, diskGb), h.traits(), h.lastHeartbeatAt(), h.generation(), h.instances());
    }

    public static HostState typed(HostState h, String type) {
        return new HostState(h.id(), h.name(), type, h.computeEndpoint(), h.enabled(), h.total(), h.used(),
                h.traits(), h.lastHeartbeatAt(), h.generation(), h.instances());
    }

    public static HostState traits(HostState h, String... traits) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(), h.total(),
                h.used(), Set.of(traits), h.lastHeartbeatAt(), h.generation(), h.instances());
    }

    public static HostState disabled(HostState h) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), false, h.total(), h.used(),
                h.traits(), h.lastHeartbeatAt(), h.generation(), h.instances());
    }

    public static HostState heartbeat(HostState h, Instant at) {
        return new HostState(h.id(), h.name(), h.hypervisorType(), h.computeEndpoint(), h.enabled(), h.total(),
                h.used(), h.traits(), at, h.generation(), h.instances());
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
