package io.virga.gateway.instance.rebuild;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.InstanceVolume;
import io.virga.gateway.instance.action.ActionRequest;
import io.virga.gateway.instance.action.ActionStarter;
import io.virga.gateway.instance.action.GuestSpecs;
import io.virga.gateway.instance.action.HostTraits;
import io.virga.gateway.instance.action.InstanceAction;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.workflow.Workflows;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code rebuild}: checks the new image before anything changes — it exists
 * for the caller (400 naming {@code image_id}), is ACTIVE, is for the
 * instance's kind (a container image cannot rebuild a VM) and, when it names
 * a {@code hypervisor_type}, matches the host's — then starts
 * {@link RebuildFlow}; the instance is REBUILDING with task rebuilding.
 */
@ApplicationScoped
public class RebuildStarter implements ActionStarter {
    private final Workflows workflows;
    private final RebuildFlow flow;
    private final InstanceStateWriter writer;
    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final HostTraits hosts;

    public RebuildStarter(Workflows workflows, RebuildFlow flow, InstanceStateWriter writer, ServiceClients clients,
                          InstanceFlowConfig config, HostTraits hosts) {
        this.workflows = workflows;
        this.flow = flow;
        this.writer = writer;
        this.clients = clients;
        this.config = config;
        this.hosts = hosts;
    }

    @Override
    public Set<InstanceAction> actions() {
        return Set.of(InstanceAction.REBUILD);
    }

    @Override
    public Start prepare(Caller caller, Instance instance, ActionRequest request) {
        Image image = image(instance.projectId(), request.imageId());
        check(instance, image);
        RebuildData data = new RebuildData();
        data.imageId = image.getId();
        data.bootSizeGb = Math.max(Math.max(instance.flavor().diskGb(), image.getMinDiskGb()), 1);
        var networks = GuestSpecs.networks(clients, config.validationTimeout(), instance);
        data.vnis.putAll(GuestSpecs.vnis(networks));
        data.addressing.putAll(GuestSpecs.addressing(instance, networks));
        InstanceVolume boot = GuestSpecs.bootVolume(instance);
        data.oldVolumeId = boot == null ? null : boot.volumeId();
        return (c, current, opId) -> {
            data.previousStatus = current.status();
            workflows.start(c, opId, flow, current.id(), data);
            return writer.apply(c, current, InstanceChange.of(current).status(InstanceStatus.REBUILDING)
                    .task(InstanceTask.REBUILDING).fault(null));
        };
    }

    private Image image(String projectId, String imageId) {
        try {
            return clients.storage(config.validationTimeout()).getImage(GetImageRequest.newBuilder()
                    .setProjectId(projectId).setId(imageId).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiException.badRequest("image_id", "no image " + imageId);
            }
            throw GrpcProblems.from(e);
        }
    }

    private void check(Instance i, Image image) {
        if (!image.getStatus().equals("ACTIVE")) {
            throw ApiException.badRequest("image_id", "image " + image.getId() + " is " + image.getStatus()
                    + "; only an ACTIVE image (with data) can rebuild an instance");
        }
        String kind = image.getPropertiesMap().get("kind");
        if (kind != null && !kind.equalsIgnoreCase(i.flavor().kind())) {
            throw ApiException.badRequest("image_id", "image " + image.getId() + " is for kind " + kind
                    + "; instance " + i.id() + " is a " + i.flavor().kind());
        }
        String type = image.getPropertiesMap().get("hypervisor_type");
        if (type != null && i.hostId() != null) {
            Host host = hosts.host(i.hostId());
            if (!type.equalsIgnoreCase(host.getHypervisorType())) {
                throw ApiException.badRequest("image_id", "image " + image.getId() + " needs hypervisor_type "
                        + type + "; the instance's host " + host.getName() + " is " + host.getHypervisorType());
            }
        }
    }
}
