package io.virga.scheduler.grpc;

import io.virga.contracts.scheduler.v1.Aggregate;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.ServerGroup;
import io.virga.scheduler.aggregate.AggregateStore;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.ResourceClass;
import java.util.TreeMap;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.HostCandidate;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.Unschedulable;
import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStatus;
import io.virga.scheduler.select.Selection;
import java.time.Duration;
import java.time.Instant;

/** Domain values to wire messages. */
final class Protos {
    private Protos() {
    }

    static Resources resources(io.virga.scheduler.host.Resources r) {
        return Resources.newBuilder().setVcpus(r.vcpus()).setRamMb(r.ramMb()).setDiskGb(r.diskGb())
                .putAllOther(r.other()).build();
    }

    static Claim claim(io.virga.scheduler.claim.Claim c) {
        return Claim.newBuilder()
                .setConsumerId(c.consumerId())
                .setHostId(c.hostId())
                .setHostName(c.hostName())
                .setComputeEndpoint(c.computeEndpoint())
                .setResources(resources(c.resources()))
                .setProjectId(c.projectId())
                .build();
    }

    static HostCandidate candidate(HostState h) {
        return HostCandidate.newBuilder()
                .setHostId(h.id())
                .setHostName(h.name())
                .setComputeEndpoint(h.computeEndpoint())
                .build();
    }

    static Unschedulable unschedulable(Selection.Unschedulable u) {
        Unschedulable.Builder b = Unschedulable.newBuilder()
                .setMessage(u.message())
                .setHostsConsidered(u.hostsConsidered());
        for (Selection.Rejection r : u.rejections()) {
            b.addRejections(FilterRejection.newBuilder()
                    .setFilter(r.filter())
                    .setHostsRejected(r.hostsRejected())
                    .setReason(r.reason()));
        }
        return b.build();
    }

    static Host host(HostState h, AllocationRatios ratios, Instant now, Duration timeout) {
        return Host.newBuilder()
                .setId(h.id())
                .setName(h.name())
                .setHypervisorType(h.hypervisorType())
                .setComputeEndpoint(h.computeEndpoint())
                .setStatus(HostStatus.of(h, now, timeout).name())
                .setEnabled(h.enabled())
                .setTotal(resources(h.total()))
                .setUsed(resources(h.used()))
                .setCpuAllocationRatio(ratio(h, ResourceClass.VCPU, ratios))
                .setRamAllocationRatio(ratio(h, ResourceClass.MEMORY_MB, ratios))
                .setDiskAllocationRatio(ratio(h, ResourceClass.DISK_GB, ratios))
                .addAllTraits(h.traits().stream().sorted().toList())
                .setLastHeartbeatAt(h.lastHeartbeatAt().toString())
                .setInstances(h.instances())
                .setDisabledReason(h.disabledReason())
                .setMaintenance(h.maintenance())
                .setAvailabilityZone(h.placement().availabilityZone())
                .addAllAggregates(h.placement().aggregates().stream().sorted().toList())
                .addAllInventories(new TreeMap<>(h.inventories()).entrySet().stream().map(e -> inventory(e.getKey(),
                        e.getValue())).toList())
                .build();
    }

    private static double ratio(HostState h, String rc, AllocationRatios defaults) {
        var i = h.inventory(rc);
        return i == null ? defaults.of(rc) : i.allocationRatio();
    }

    static io.virga.contracts.scheduler.v1.Inventory inventory(String rc, io.virga.scheduler.host.Inventory i) {
        return io.virga.contracts.scheduler.v1.Inventory.newBuilder().setResourceClass(rc).setTotal(i.total())
                .setReserved(i.reserved()).setMinUnit(i.minUnit()).setMaxUnit(i.maxUnit()).setStepSize(i.stepSize())
                .setAllocationRatio(i.allocationRatio()).setUsed(i.used()).build();
    }

    static ServerGroup group(GroupStore.Group g) {
        return ServerGroup.newBuilder().setId(g.id()).setName(g.name()).setProjectId(g.projectId())
                .setPolicy(g.policy()).addAllMembers(g.members().keySet())
                .addAllHosts(new java.util.TreeSet<>(g.members().values()))
                .setCreatedAt(g.createdAt().toString()).build();
    }

    static Aggregate aggregate(AggregateStore.Aggregate a) {
        return Aggregate.newBuilder().setId(a.id()).setName(a.name()).setAvailabilityZone(a.availabilityZone())
                .putAllMetadata(a.metadata()).addAllHosts(a.hosts()).setCreatedAt(a.createdAt().toString()).build();
    }
}
