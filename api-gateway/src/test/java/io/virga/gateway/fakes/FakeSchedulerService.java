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
}
