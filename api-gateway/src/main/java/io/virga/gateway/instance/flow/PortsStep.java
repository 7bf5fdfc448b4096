package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.clients.ServiceClients;

import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.Port;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceRepository;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Create step 1: one port per requested network. Idempotent: each port has
 * request id {@code <instance>:port:<n>}, so network-svc answers a retry with
 * the port it made the first time; device id is the instance, so
 * DeletePortsByDevice undoes it.
 */
final class PortsStep implements Step<Instance, CreateData> {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final String next;

    PortsStep(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances, String next) {
        this.clients = clients;
        this.config = config;
        this.instances = instances;
        this.next = next;
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
            Port port = clients.network(config.callTimeout()).createPort(CreatePortRequest.newBuilder()
                    .setProjectId(i.projectId())
                    .setNetworkId(networks.get(n))
                    .setDeviceId(i.id())
                    .setRequestId(i.id() + ":port:" + n)
                    .build());
            ctx.data().ports.add(new CreateData.PortRef(n, port.getId(), port.getNetworkId(), port.getIpAddress(),
                    port.getMacAddress()));
        }
        List<CreateData.PortRef> ports = List.copyOf(ctx.data().ports);
        String detail = ports.stream().map(p -> p.portId() + " " + p.ip() + " on " + p.networkId())
                .collect(Collectors.joining(", "));
        return StepResult.next(next, detail, InstanceWork.on(instances, i.id(), (c, instance) -> {
            for (CreateData.PortRef p : ports) {
                instances.addPort(c, instance.id(),
                        new InstancePort(p.portId(), p.position(), p.networkId(), p.ip(), p.mac()));
            }
        }));
    }
}
