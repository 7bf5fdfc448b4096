package io.virga.gateway.fakes;

import io.grpc.stub.StreamObserver;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeleteResponse;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.ListNetworksResponse;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.ListPortsResponse;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory network-svc with the contract's tenancy: other projects' resources are NOT_FOUND
 * unless shared; a subnet overlapping another of its network is INVALID_ARGUMENT on cidr;
 * deleting a network with ports is FAILED_PRECONDITION. Ports are added by {@link #addPort}.
 */
public class FakeNetworkService extends NetworkServiceGrpc.NetworkServiceImplBase {
    final Map<String, Network> networks = new ConcurrentHashMap<>();
    final Map<String, Port> ports = new ConcurrentHashMap<>();

    public synchronized Port addPort(String projectId, String networkId, String ip, String deviceId) {
        Port p = Port.newBuilder().setId(Ids.newId("p")).setProjectId(projectId).setNetworkId(networkId)
                .setMacAddress("fa:16:3e:00:00:01").setIpAddress(ip).setDeviceId(deviceId).setStatus("DOWN")
                .setCreatedAt(Instant.now().toString()).build();
        ports.put(p.getId(), p);
        return p;
    }

    @Override
    public synchronized void createNetwork(CreateNetworkRequest req, StreamObserver<Network> out) {
        if (req.getProjectId().isEmpty()) {
            out.onError(GrpcErrors.invalidArgument("project_id", "is required"));
            return;
        }
        Network n = Network.newBuilder().setId(Ids.newId("n")).setProjectId(req.getProjectId())
                .setName(req.getName()).setVni(1000 + networks.size()).setShared(req.getShared())
                .setStatus("ACTIVE").setCreatedAt(Instant.now().toString()).build();
        networks.put(n.getId(), n);
        reply(out, n);
    }

    @Override
    public void getNetwork(GetNetworkRequest req, StreamObserver<Network> out) {
        Network n = visible(req.getProjectId(), req.getId());
        if (n == null) {
            out.onError(GrpcErrors.notFound("network", req.getId()));
            return;
        }
        reply(out, n);
    }

    @Override
    public void listNetworks(ListNetworksRequest req, StreamObserver<ListNetworksResponse> out) {
        reply(out, ListNetworksResponse.newBuilder().addAllNetworks(networks.values().stream()
                .filter(n -> n.getShared() || n.getProjectId().equals(req.getProjectId()))
                .sorted((a, b) -> a.getId().compareTo(b.getId())).toList()).build());
    }

    @Override
    public synchronized void deleteNetwork(DeleteNetworkRequest req, StreamObserver<DeleteResponse> out) {
        Network n = networks.get(req.getId());
        if (n == null || !n.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("network", req.getId()));
            return;
        }
        if (ports.values().stream().anyMatch(p -> p.getNetworkId().equals(n.getId()))) {
            out.onError(GrpcErrors.failedPrecondition("network " + n.getId() + " has ports"));
            return;
        }
        networks.remove(n.getId());
        reply(out, DeleteResponse.newBuilder().setDeleted(1).build());
    }

    @Override
    public synchronized void createSubnet(CreateSubnetRequest req, StreamObserver<Subnet> out) {
        Network n = networks.get(req.getNetworkId());
        if (n == null || !n.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("network", req.getNetworkId()));
            return;
        }
        if (n.getSubnetsList().stream().anyMatch(s -> s.getCidr().equals(req.getCidr()))) {
            out.onError(GrpcErrors.invalidArgument("cidr", "overlaps subnet of network " + n.getId()));
            return;
        }
        String gw = req.getGatewayIp().isEmpty() ? req.getCidr().replaceAll("\\.0/\\d+$", ".1") : req.getGatewayIp();
        Subnet s = Subnet.newBuilder().setId(Ids.newId("s")).setNetworkId(n.getId()).setProjectId(n.getProjectId())
                .setName(req.getName()).setCidr(req.getCidr()).setGatewayIp(gw)
                .setCreatedAt(Instant.now().toString()).build();
        networks.put(n.getId(), n.toBuilder().addSubnets(s).build());
        reply(out, s);
    }

    @Override
    public void getPort(GetPortRequest req, StreamObserver<Port> out) {
        Port p = ports.get(req.getId());
        if (p == null || !p.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("port", req.getId()));
            return;
        }
        reply(out, p);
    }

    @Override
    public void listPorts(ListPortsRequest req, StreamObserver<ListPortsResponse> out) {
        reply(out, ListPortsResponse.newBuilder().addAllPorts(ports.values().stream()
                .filter(p -> p.getProjectId().equals(req.getProjectId()))
                .filter(p -> req.getNetworkId().isEmpty() || p.getNetworkId().equals(req.getNetworkId()))
                .filter(p -> req.getDeviceId().isEmpty() || p.getDeviceId().equals(req.getDeviceId()))
                .sorted((a, b) -> a.getId().compareTo(b.getId())).toList()).build());
    }

    private Network visible(String projectId, String id) {
        Network n = networks.get(id);
        return n != null && (n.getShared() || n.getProjectId().equals(projectId)) ? n : null;
    }

    static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }
}
