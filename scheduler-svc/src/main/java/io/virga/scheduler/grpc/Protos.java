package io.virga.scheduler.grpc;

import io.virga.contracts.scheduler.v1.Claim;
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
        return Resources.newBuilder().setVcpus(r.vcpus()).setRamMb(r.ramMb()).setDiskGb(r.diskGb()).build();
    }

    static Claim claim(io.virga.scheduler.claim.Claim c) {
        return Claim.newBuilder()
                .setConsumerId(c.consumerId())
                .setHostId(c.hostId())
                .setHostName(c.hostName())
                .setComputeEndpoint(c.computeEndpoint())
                .setResources(resources(c.resources()))
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
                .setCpuAllocationRatio(ratios.cpu())
                .setRamAllocationRatio(ratios.ram())
                .addAllTraits(h.traits().stream().sorted().toList())
                .setLastHeartbeatAt(h.lastHeartbeatAt().toString())
                .setInstances(h.instances())
                .build();
    }
}
