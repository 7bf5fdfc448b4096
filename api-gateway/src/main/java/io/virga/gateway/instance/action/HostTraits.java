package io.virga.gateway.instance.action;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks, before an action changes anything, that the instance's host has
 * the trait (driver capability) the action needs, as the scheduler knows the
 * host ({@code GetHost}).
 */
@ApplicationScoped
public class HostTraits {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;

    public HostTraits(ServiceClients clients, InstanceFlowConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /**
     * @throws ApiException 409 naming the trait when the host lacks it; 503 when the scheduler cannot say
     */
    public void require(Instance i, InstanceAction action) {
        if (action.trait() == null || i.hostId() == null) {
            return;
        }
        Host host = host(i.hostId());
        if (!host.getTraitsList().contains(action.trait())) {
            throw ApiException.conflict("host " + host.getName() + " (" + host.getId() + ", "
                    + host.getHypervisorType() + ") cannot " + action.value() + ": its driver lacks trait "
                    + action.trait());
        }
    }

    /** The host as the scheduler knows it. */
    public Host host(String hostId) {
        try {
            return clients.scheduler(config.validationTimeout()).getHost(GetHostRequest.newBuilder().setId(hostId)
                    .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiException.conflict("host " + hostId + " is unknown to the scheduler");
            }
            throw ApiException.unavailable("scheduler-svc cannot be asked about host " + hostId + ": "
                    + e.getStatus().getCode());
        }
    }
}
