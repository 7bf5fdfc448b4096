package io.virga.gateway.volume;

import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.workflow.Flow;
import io.virga.gateway.workflow.Workflows;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Starts the volume workflows after checking, before anything changes, what
 * the user can get wrong: another project's instance or volume (404), an
 * instance in a state disks cannot be plugged in (409), a volume attached
 * already / not attached / busy / not multiattach (409), a size that does not
 * grow (400). Each workflow is started with its operation in one transaction
 * (a running workflow on the volume: 409 resource-busy).
 */
@ApplicationScoped
public class VolumeOperations {
    static final Set<InstanceStatus> PLUGGABLE = EnumSet.of(InstanceStatus.ACTIVE, InstanceStatus.STOPPED);

    private final Tx tx;
    private final InstanceRepository instances;
    private final OperationRepository operations;
    private final Workflows workflows;
    private final ServiceClients clients;
    private final VolumeFlows.Attach attachFlow;
    private final VolumeFlows.Detach detachFlow;
    private final VolumeFlows.Extend extendFlow;

    public VolumeOperations(Tx tx, InstanceRepository instances, OperationRepository operations, Workflows workflows,
            ServiceClients clients, VolumeFlows.Attach attachFlow, VolumeFlows.Detach detachFlow,
            VolumeFlows.Extend extendFlow) {
        this.tx = tx;
        this.instances = instances;
        this.operations = operations;
        this.workflows = workflows;
        this.clients = clients;
        this.attachFlow = attachFlow;
        this.detachFlow = detachFlow;
        this.extendFlow = extendFlow;
    }

    /** An accepted operation on a volume. */
    public record Started(String operationId, Volume volume) {
    }

    Instance instance(Caller caller, String instanceId) {
        return tx.run(c -> instances.find(c, instanceId))
                .filter(i -> i.projectId().equals(caller.projectId()) && i.status() != InstanceStatus.DELETED)
                .orElseThrow(() -> ApiException.notFound("instance", instanceId));
    }

    Volume volume(String projectId, String volumeId) {
        return GrpcProblems.call(() -> clients.storage(Duration.ofSeconds(30)).getVolume(
                GetVolumeRequest.newBuilder().setProjectId(projectId).setId(volumeId).build()));
    }

    /** The project's volumes attached to {@code instanceId}. */
    List<Volume> attachedTo(String projectId, String instanceId) {
        return GrpcProblems.call(() -> clients.storage(Duration.ofSeconds(30)).listVolumes(
                io.virga.contracts.storage.v1.ListVolumesRequest.newBuilder().setProjectId(projectId)
                        .setOwnerId(instanceId).build())).getVolumesList().stream()
                .filter(v -> v.getAttachmentsList().contains(instanceId)).toList();
    }

    public Started attach(Caller caller, String instanceId, String volumeId) {
        Instance i = instance(caller, instanceId);
        if (!PLUGGABLE.contains(i.status()) || i.hostEndpoint() == null) {
            throw ApiException.invalidState("instance " + i.id() + " is " + i.status()
                    + "; volumes attach to an ACTIVE or STOPPED instance", i.status().name(),
                    PLUGGABLE.stream().map(Enum::name).toList());
        }
        Volume v = volume(caller.projectId(), volumeId);
        if (v.getAttachmentsList().contains(i.id())) {
            throw ApiException.conflict("volume " + v.getId() + " is already attached to " + i.id());
        }
        boolean shared = v.getStatus().equals("IN_USE") && v.getMultiattach();
        if (!v.getStatus().equals("AVAILABLE") && !shared) {
            throw ApiException.conflict("volume " + v.getId() + " is " + v.getStatus()
                    + (v.getStatus().equals("IN_USE") ? " (attached to " + String.join(", ", v.getAttachmentsList())
                            + ") and not multiattach" : "") + "; it cannot be attached now");
        }
        if (v.getBackend().equals("record")) {
            throw ApiException.conflict("volume " + v.getId() + " is a boot volume record and cannot be attached");
        }
        VolumeFlowData d = new VolumeFlowData();
        d.projectId = caller.projectId();
        d.instanceId = i.id();
        d.hostEndpoint = i.hostEndpoint();
        return start(caller, OperationKind.VOLUME_ATTACH, attachFlow, v, d);
    }

    public Started detach(Caller caller, String instanceId, String volumeId) {
        Instance i = instance(caller, instanceId);
        Volume v = volume(caller.projectId(), volumeId);
        if (!v.getAttachmentsList().contains(i.id())) {
            throw ApiException.conflict("volume " + v.getId() + " is not attached to " + i.id());
        }
        if (i.volumes().stream().anyMatch(x -> x.boot() && x.volumeId().equals(v.getId()))) {
            throw ApiException.conflict("volume " + v.getId() + " is the boot disk of " + i.id()
                    + "; it is detached when the instance is deleted");
        }
        if (!v.getStatus().equals("IN_USE")) {
            throw ApiException.conflict("volume " + v.getId() + " is " + v.getStatus() + "; try again when it is IN_USE");
        }
        VolumeFlowData d = new VolumeFlowData();
        d.projectId = caller.projectId();
        d.instanceId = i.id();
        d.hostEndpoint = i.hostEndpoint();
        return start(caller, OperationKind.VOLUME_DETACH, detachFlow, v, d);
    }

    /**
     * Grows a volume. Unattached: storage-svc does it alone (no operation).
     * Attached: storage-svc claims it (EXTENDING) and {@code volume.extend}
     * tells every guest's hypervisor (QMP block_resize), then records the size.
     */
    public Started extend(Caller caller, String volumeId, int newSizeGb) {
        Volume v = volume(caller.projectId(), volumeId);
        if (newSizeGb <= v.getSizeGb()) {
            throw ApiException.badRequest("new_size", "must be larger than the volume's " + v.getSizeGb()
                    + " GiB (volumes only grow)");
        }
        List<Instance> guests = tx.run(c -> {
            List<Instance> out = new java.util.ArrayList<>();
            for (String id : v.getAttachmentsList()) {
                instances.find(c, id).ifPresent(out::add);
            }
            return out;
        });
        Volume claimed = GrpcProblems.call(() -> clients.storage(Duration.ofSeconds(30)).extendVolume(
                ExtendVolumeRequest.newBuilder().setProjectId(caller.projectId()).setId(volumeId)
                        .setSizeGb(newSizeGb).build()));
        if (claimed.getAttachmentsCount() == 0) {
            return new Started(null, claimed);
        }
        VolumeFlowData d = new VolumeFlowData();
        d.projectId = caller.projectId();
        d.sizeGb = newSizeGb;
        for (Instance g : guests) {
            VolumeFlowData.Guest guest = new VolumeFlowData.Guest();
            guest.instanceId = g.id();
            guest.hostEndpoint = g.hostEndpoint();
            d.guests.add(guest);
        }
        try {
            return start(caller, OperationKind.VOLUME_EXTEND, extendFlow, claimed, d);
        } catch (RuntimeException e) {
            clients.storage(Duration.ofSeconds(30)).endExtend(EndOperationRequest.newBuilder()
                    .setProjectId(caller.projectId()).setId(volumeId).setSucceeded(false)
                    .setError("the extend workflow could not start").build());
            throw e;
        }
    }

    private Started start(Caller caller, OperationKind kind, Flow<String, VolumeFlowData> flow, Volume v,
            VolumeFlowData data) {
        String opId = Ids.newId("op");
        tx.run(c -> {
            operations.insert(c, opId, caller.projectId(), kind, v.getId(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            workflows.start(c, opId, flow, v.getId(), data);
            return null;
        });
        workflows.wakeUp();
        return new Started(opId, v);
    }
}
