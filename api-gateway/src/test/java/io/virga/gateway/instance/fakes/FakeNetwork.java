package io.virga.gateway.instance.fakes;

import io.grpc.stub.StreamObserver;
import io.virga.contracts.network.v1.BindPortRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.DeleteResponse;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.ListPortsResponse;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory network-svc with the contract's semantics: networks are
 * visible to their project (or all, if shared), CreatePort is idempotent on
 * request_id and allocates the lowest free address (or the fixed_ip),
 * DeletePortsByDevice deletes the project's auto-delete ports of a device and
 * unbinds the others, BindPort binds an unbound port.
 */
public final class FakeNetwork extends NetworkServiceGrpc.NetworkServiceImplBase {
    public final Failures failures = new Failures();
    private final Map<String, Network> networks = new HashMap<>();
    private final Map<String, Port> ports = new HashMap<>();
    private final Map<String, String> portByRequest = new HashMap<>();
    private final Map<String, Integer> nextHost = new HashMap<>();
    private int vnis = 100;
    private int macs = 1;

    /** Adds a network (with a /24 subnet unless {@code withSubnet} is false) and returns its id. */
    public synchronized String addNetwork(String projectId, boolean shared, boolean withSubnet) {
        String id = Ids.newId("n");
        int vni = vnis++;
        Network.Builder n = Network.newBuilder().setId(id).setProjectId(projectId).setName("net-" + vni).setVni(vni)
                .setShared(shared).setStatus("ACTIVE");
        if (withSubnet) {
            n.addSubnets(Subnet.newBuilder().setId(Ids.newId("s")).setNetworkId(id).setProjectId(projectId)
                    .setCidr("10." + (vni % 250) + ".0.0/24").setGatewayIp("10." + (vni % 250) + ".0.1"));
        }
        networks.put(id, n.build());
        nextHost.put(id, 2);
        return id;
    }

    public synchronized int portCount() {
        return ports.size();
    }

    /** The ports whose device is {@code deviceId}. */
    public synchronized List<Port> portsOf(String deviceId) {
        return ports.values().stream().filter(p -> p.getDeviceId().equals(deviceId)).toList();
    }

    @Override
    public void getNetwork(GetNetworkRequest req, StreamObserver<Network> out) {
        Answer.of(out, () -> {
            failures.check("GetNetwork");
            synchronized (this) {
                return visible(req.getProjectId(), req.getId());
            }
        });
    }

    @Override
    public void createPort(CreatePortRequest req, StreamObserver<Port> out) {
        Answer.of(out, () -> {
            failures.check("CreatePort");
            if (req.getRequestId().isBlank()) {
                throw GrpcErrors.invalidArgument("request_id", "is required");
            }
            synchronized (this) {
                String existing = portByRequest.get(req.getProjectId() + "/" + req.getRequestId());
                if (existing != null) {
                    return ports.get(existing);
                }
                Network net = visible(req.getProjectId(), req.getNetworkId());
                if (net.getSubnetsCount() == 0) {
                    throw GrpcErrors.failedPrecondition("network " + net.getId() + " has no subnet");
                }
                Subnet subnet = net.getSubnets(0);
                String prefix = subnet.getCidr().substring(0, subnet.getCidr().lastIndexOf('.') + 1);
                String ip;
                if (!req.getFixedIp().isEmpty()) {
                    ip = req.getFixedIp();
                    if (ports.values().stream().anyMatch(x -> x.getNetworkId().equals(net.getId())
                            && x.getIpAddress().equals(ip))) {
                        throw GrpcErrors.alreadyExists("fixed_ip " + ip + " is already in use");
                    }
                } else {
                    ip = prefix + (nextHost.merge(net.getId(), 1, Integer::sum) - 1);
                }
                Port p = Port.newBuilder().setId(Ids.newId("p")).setProjectId(req.getProjectId())
                        .setNetworkId(net.getId()).setSubnetId(subnet.getId())
                        .setMacAddress(mac(macs++)).setAutoDelete(!req.getDeviceId().isEmpty())
                        .setIpAddress(ip).setDeviceId(req.getDeviceId()).setStatus("DOWN").build();
                ports.put(p.getId(), p);
                portByRequest.put(req.getProjectId() + "/" + req.getRequestId(), p.getId());
                return p;
            }
        });
    }

    @Override
    public void deletePortsByDevice(DeletePortsByDeviceRequest req, StreamObserver<DeleteResponse> out) {
        Answer.of(out, () -> {
            failures.check("DeletePortsByDevice");
            synchronized (this) {
                List<Port> held = ports.values().stream().filter(p -> p.getDeviceId().equals(req.getDeviceId())
                        && p.getProjectId().equals(req.getProjectId())).toList();
                List<Port> doomed = held.stream().filter(Port::getAutoDelete).toList();
                doomed.forEach(p -> ports.remove(p.getId()));
                held.stream().filter(p -> !p.getAutoDelete())
                        .forEach(p -> ports.put(p.getId(), p.toBuilder().setDeviceId("").build()));
                portByRequest.values().removeIf(id -> !ports.containsKey(id));
                return DeleteResponse.newBuilder().setDeleted(doomed.size()).build();
            }
        });
    }

    /** A port the user made (not deleted with a device), unbound, on the network's subnet. */
    public synchronized Port addUserPort(String projectId, String networkId) {
        Network net = networks.get(networkId);
        Subnet subnet = net.getSubnets(0);
        String prefix = subnet.getCidr().substring(0, subnet.getCidr().lastIndexOf('.') + 1);
        Port p = Port.newBuilder().setId(Ids.newId("p")).setProjectId(projectId).setNetworkId(networkId)
                .setSubnetId(subnet.getId()).setMacAddress(mac(macs++))
                .setIpAddress(prefix + (nextHost.merge(networkId, 1, Integer::sum) - 1)).setStatus("DOWN").build();
        ports.put(p.getId(), p);
        return p;
    }

    /** The port, or null. */
    public synchronized Port port(String id) {
        return ports.get(id);
    }

    @Override
    public void getPort(GetPortRequest req, StreamObserver<Port> out) {
        Answer.of(out, () -> {
            synchronized (this) {
                Port p = ports.get(req.getId());
                if (p == null || !p.getProjectId().equals(req.getProjectId())) {
                    throw GrpcErrors.notFound("port", req.getId());
                }
                return p;
            }
        });
    }

    @Override
    public void bindPort(BindPortRequest req, StreamObserver<Port> out) {
        Answer.of(out, () -> {
            failures.check("BindPort");
            synchronized (this) {
                Port p = ports.get(req.getPortId());
                if (p == null || !p.getProjectId().equals(req.getProjectId())) {
                    throw GrpcErrors.notFound("port", req.getPortId());
                }
                if (!p.getDeviceId().isEmpty() && !p.getDeviceId().equals(req.getDeviceId())) {
                    throw GrpcErrors.failedPrecondition("port " + p.getId() + " is in use by " + p.getDeviceId());
                }
                Port bound = p.toBuilder().setDeviceId(req.getDeviceId()).build();
                ports.put(bound.getId(), bound);
                return bound;
            }
        });
    }

    @Override
    public void listPorts(ListPortsRequest req, StreamObserver<ListPortsResponse> out) {
        Answer.of(out, () -> {
            synchronized (this) {
                return ListPortsResponse.newBuilder().addAllPorts(ports.values().stream()
                        .filter(p -> p.getProjectId().equals(req.getProjectId()))
                        .filter(p -> req.getDeviceId().isEmpty() || p.getDeviceId().equals(req.getDeviceId()))
                        .toList()).build();
            }
        });
    }

    private static String mac(int n) {
        return String.format("fa:16:3e:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    }

    private Network visible(String projectId, String id) {
        Network n = networks.get(id);
        if (n == null || !(n.getShared() || n.getProjectId().equals(projectId))) {
            throw GrpcErrors.notFound("network", id);
        }
        return n;
    }
}
