package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.clients.ServiceClients;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.network.v1.BindPortRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.gateway.instance.NicRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceRepository;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Create step 1: one port per requested network entry ({@link NicRequest}: a
 * new port, with the asked fixed_ip if any, or the user's existing port bound
 * to the instance), with its subnet's prefix
 * length and gateway (for the guest's address and default route; the network
 * is read while the port is made). Idempotent: each port has request id
 * {@code <instance>:port:<n>}, so network-svc answers a retry with the port it
 * made the first time, and BindPort is idempotent for the same device; device
 * id is the instance, so DeletePortsByDevice undoes it (deleting the ports it
 * made, unbinding the user's). Next: the boot volume, except for a container, whose root
 * filesystem is a local overlay the compute node makes on the image (no
 * volume to create): it goes straight to the claim.
 */
final class PortsStep implements Step<Instance, CreateData> {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final String next;

    private final String containerNext;

    PortsStep(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances, String next,
              String containerNext) {
        this.clients = clients;
        this.config = config;
        this.instances = instances;
        this.next = next;
        this.containerNext = containerNext;
    }

    @Override
    public String name() {
        return CreateFlow.PORTS;
    }

    @Override
    public String what() {
        return "creating ports (network-svc)";
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        Instance i = ctx.resource();
        List<String> networks = i.requestedNetworks();
        for (int n = 0; n < networks.size(); n++) {
            final int position = n;
            if (ctx.data().ports.stream().anyMatch(p -> p.position() == position)) {
                continue;
            }
            ctx.ensureLease();
            NicRequest nic = NicRequest.decode(networks.get(n));
            String networkId = nic.network();
            CompletableFuture<Network> network = CompletableFuture.supplyAsync(() -> clients.network(config.callTimeout())
                    .getNetwork(GetNetworkRequest.newBuilder().setProjectId(i.projectId()).setId(networkId).build()));
            Port port = nic.port() != null
                    ? clients.network(config.callTimeout()).bindPort(BindPortRequest.newBuilder()
                            .setProjectId(i.projectId()).setPortId(nic.port()).setDeviceId(i.id()).build())
                    : clients.network(config.callTimeout()).createPort(CreatePortRequest.newBuilder()
                            .setProjectId(i.projectId())
                            .setNetworkId(networkId)
                            .setDeviceId(i.id())
                            .setRequestId(i.id() + ":port:" + n)
                            .setFixedIp(nic.fixedIp() == null ? "" : nic.fixedIp())
                            .build());
            Subnet subnet = subnetOf(port, network);
            ctx.data().ports.add(new CreateData.PortRef(n, port.getId(), port.getNetworkId(), port.getIpAddress(),
                    port.getMacAddress(), subnet == null ? 0 : prefixLength(subnet.getCidr()),
                    subnet == null || subnet.getGatewayIp().isEmpty() ? null : subnet.getGatewayIp()));
        }
        List<CreateData.PortRef> ports = List.copyOf(ctx.data().ports);
        String detail = ports.stream().map(p -> p.portId() + " " + p.ip() + " on " + p.networkId())
                .collect(Collectors.joining(", "));
        String then = "container".equalsIgnoreCase(i.flavor().kind()) ? containerNext : next;
        return StepResult.next(then, detail, InstanceWork.on(instances, i.id(), (c, instance) -> {
            for (CreateData.PortRef p : ports) {
                instances.addPort(c, instance.id(),
                        new InstancePort(p.portId(), p.position(), p.networkId(), p.ip(), p.mac()));
            }
        }));
    }

    /** The port's subnet as the network (read meanwhile) lists it; null when it cannot be read or found. */
    private static Subnet subnetOf(Port port, CompletableFuture<Network> network) {
        try {
            return network.join().getSubnetsList().stream().filter(sn -> sn.getId().equals(port.getSubnetId()))
                    .findFirst().orElse(null);
        } catch (CompletionException e) {
            if (e.getCause() instanceof StatusRuntimeException) {
                return null; // the address works without them: /24 (or /64), no default route
            }
            throw e;
        }
    }

    /** The prefix length of a CIDR ({@code 10.0.0.0/24} → 24); 0 when it has none. */
    static int prefixLength(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            return slash < 0 ? 0 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
