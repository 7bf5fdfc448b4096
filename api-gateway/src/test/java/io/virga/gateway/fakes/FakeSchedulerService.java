package io.virga.gateway.fakes;

import io.grpc.stub.StreamObserver;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory scheduler-svc host listing (hosts added by {@link #addHost}). */
public class FakeSchedulerService extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    final Map<String, Host> hosts = new ConcurrentHashMap<>();

    public Host addHost(String name) {
        Host h = Host.newBuilder().setId(Ids.newId("h")).setName(name).setHypervisorType("sim")
                .setComputeEndpoint("127.0.0.1:1").setStatus("UP").setEnabled(true)
                .setTotal(Resources.newBuilder().setVcpus(16).setRamMb(65536).setDiskGb(500))
                .setUsed(Resources.newBuilder().setVcpus(2).setRamMb(4096).setDiskGb(20))
                .setCpuAllocationRatio(4.0).setRamAllocationRatio(1.0).addTraits("HW_CPU_X86_VMX")
                .setInstances(1).build();
        hosts.put(h.getId(), h);
        return h;
    }

    @Override
    public void listHosts(ListHostsRequest req, StreamObserver<ListHostsResponse> out) {
        FakeNetworkService.reply(out, ListHostsResponse.newBuilder().addAllHosts(hosts.values().stream()
                .sorted((a, b) -> a.getId().compareTo(b.getId())).toList()).build());
    }

    @Override
    public void getHost(GetHostRequest req, StreamObserver<Host> out) {
        Host h = hosts.get(req.getId());
        if (h == null) {
            out.onError(GrpcErrors.notFound("host", req.getId()));
            return;
        }
        FakeNetworkService.reply(out, h);
    }

    final Map<String, io.virga.contracts.scheduler.v1.ServerGroup> groups = new ConcurrentHashMap<>();
    final Map<String, io.virga.contracts.scheduler.v1.Aggregate> aggregates = new ConcurrentHashMap<>();

    @Override
    public void hostAction(io.virga.contracts.scheduler.v1.HostActionRequest req, StreamObserver<Host> out) {
        Host h = hosts.get(req.getId());
        if (h == null) {
            out.onError(GrpcErrors.notFound("host", req.getId()));
            return;
        }
        Host changed = h.toBuilder().setEnabled("enable".equals(req.getAction()))
                .setMaintenance("maintenance".equals(req.getAction())).setDisabledReason(req.getReason()).build();
        hosts.put(h.getId(), changed);
        FakeNetworkService.reply(out, changed);
    }

    @Override
    public void createServerGroup(io.virga.contracts.scheduler.v1.CreateServerGroupRequest req,
                                  StreamObserver<io.virga.contracts.scheduler.v1.ServerGroup> out) {
        var g = io.virga.contracts.scheduler.v1.ServerGroup.newBuilder().setId(Ids.newId("sg")).setName(req.getName())
                .setProjectId(req.getProjectId()).setPolicy(req.getPolicy()).setCreatedAt("2026-12-02T00:00:00Z").build();
        groups.put(g.getId(), g);
        FakeNetworkService.reply(out, g);
    }

    @Override
    public void getServerGroup(io.virga.contracts.scheduler.v1.GetServerGroupRequest req,
                               StreamObserver<io.virga.contracts.scheduler.v1.ServerGroup> out) {
        var g = groups.get(req.getId());
        if (g == null) {
            out.onError(GrpcErrors.notFound("server group", req.getId()));
            return;
        }
        FakeNetworkService.reply(out, g);
    }

    @Override
    public void listServerGroups(io.virga.contracts.scheduler.v1.ListServerGroupsRequest req,
                                 StreamObserver<io.virga.contracts.scheduler.v1.ListServerGroupsResponse> out) {
        FakeNetworkService.reply(out, io.virga.contracts.scheduler.v1.ListServerGroupsResponse.newBuilder()
                .addAllServerGroups(groups.values().stream().filter(g -> g.getProjectId().equals(req.getProjectId()))
                        .toList()).build());
    }

    @Override
    public void deleteServerGroup(io.virga.contracts.scheduler.v1.DeleteServerGroupRequest req,
                                  StreamObserver<io.virga.contracts.scheduler.v1.DeleteServerGroupResponse> out) {
        FakeNetworkService.reply(out, io.virga.contracts.scheduler.v1.DeleteServerGroupResponse.newBuilder()
                .setDeleted(groups.remove(req.getId()) != null).build());
    }

    @Override
    public void createAggregate(io.virga.contracts.scheduler.v1.Aggregate req,
                                StreamObserver<io.virga.contracts.scheduler.v1.Aggregate> out) {
        var a = req.toBuilder().setId(Ids.newId("agg")).setCreatedAt("2026-12-02T00:00:00Z").build();
        aggregates.put(a.getId(), a);
        FakeNetworkService.reply(out, a);
    }

    @Override
    public void listAggregates(io.virga.contracts.scheduler.v1.ListAggregatesRequest req,
                               StreamObserver<io.virga.contracts.scheduler.v1.ListAggregatesResponse> out) {
        FakeNetworkService.reply(out, io.virga.contracts.scheduler.v1.ListAggregatesResponse.newBuilder()
                .addAllAggregates(aggregates.values()).build());
    }

    @Override
    public void addAggregateHost(io.virga.contracts.scheduler.v1.AggregateHostRequest req,
                                 StreamObserver<io.virga.contracts.scheduler.v1.Aggregate> out) {
        var a = aggregates.get(req.getAggregateId());
        if (a == null) {
            out.onError(GrpcErrors.notFound("aggregate", req.getAggregateId()));
            return;
        }
        if (!hosts.containsKey(req.getHostId())) {
            out.onError(GrpcErrors.notFound("host", req.getHostId()));
            return;
        }
        a = a.toBuilder().addHosts(req.getHostId()).build();
        aggregates.put(a.getId(), a);
        FakeNetworkService.reply(out, a);
    }
}
