package io.virga.gateway.instance.rebuild;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.GuestActionResponse;
import io.virga.contracts.compute.v1.RebuildRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceVolume;
import io.virga.gateway.instance.action.GuestSpecs;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.workflow.Failures;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.WorkflowState;
import java.time.Instant;

/** The steps of {@link RebuildFlow}. */
final class RebuildSteps {
    private RebuildSteps() {
    }

    /** Deletes a volume of the instance's project; a missing one is fine. */
    static void deleteVolume(ServiceClients clients, InstanceFlowConfig config, String projectId, String volumeId) {
        clients.storage(config.volumeCallTimeout()).deleteVolume(DeleteVolumeRequest.newBuilder()
                .setProjectId(projectId).setId(volumeId).setForce(true).build());
    }

    /**
     * The new boot volume from the new image, owned by the instance with
     * delete_on_termination; idempotent on request id {@code <instance>:boot:<operation>}.
     * A volume still CREATING is asked for again every half second.
     */
    record BootVolume(ServiceClients clients, InstanceFlowConfig config) implements Step<Instance, RebuildData> {
        @Override
        public String name() {
            return RebuildFlow.BOOT_VOLUME;
        }

        @Override
        public String what() {
            return "creating the new boot volume (storage-svc)";
        }

        @Override
        public StepResult run(StepContext<Instance, RebuildData> ctx) {
            Instance i = ctx.resource();
            RebuildData data = ctx.data();
            if ("container".equalsIgnoreCase(i.flavor().kind())) {
                return StepResult.next(RebuildFlow.REBUILD, "a container has no boot volume: its node makes the"
                        + " root filesystem from image " + data.imageId);
            }
            Volume v = clients.storage(config.volumeCallTimeout()).createVolume(CreateVolumeRequest.newBuilder()
                    .setProjectId(i.projectId()).setName(i.name() + "-boot").setSizeGb(data.bootSizeGb)
                    .setImageId(data.imageId).setOwnerId(i.id()).setDeleteOnTermination(true)
                    .setRequestId(i.id() + ":boot:" + ctx.operationId()).build());
            data.newVolumeId = v.getId();
            data.newVolumeSizeGb = v.getSizeGb();
            return switch (v.getStatus()) {
                case "ERROR" -> StepResult.compensate("the new boot volume " + v.getId() + " failed to build from"
                        + " image " + data.imageId, Fault.STEP_REFUSED);
                case "CREATING" -> StepResult.waitUntil(Instant.now().plusMillis(500), "volume " + v.getId()
                        + " is CREATING");
                default -> StepResult.next(RebuildFlow.REBUILD, "volume " + v.getId() + " (" + v.getSizeGb()
                        + " GiB) from " + data.imageId);
            };
        }
    }

    /**
     * The host rebuilds the guest on the new boot disk (same id, NICs and
     * resources) and boots it; synchronous. A refusal before the node changed
     * anything compensates with the instance as it was; a failure of the
     * driver (INTERNAL: the guest is then left SHUTDOWN, by the Rebuildable
     * contract) compensates at once into ERROR.
     */
    record Rebuild(ComputeClients compute, InstanceFlowConfig config) implements Step<Instance, RebuildData> {
        @Override
        public String name() {
            return RebuildFlow.REBUILD;
        }

        @Override
        public String what() {
            return "rebuilding the guest (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, RebuildData> ctx) {
            Instance i = ctx.resource();
            RebuildData data = ctx.data();
            if (i.hostEndpoint() == null) {
                return StepResult.compensate("the instance has no host", Fault.STEP_REFUSED);
            }
            InstanceVolume boot = data.newVolumeId == null ? null
                    : new InstanceVolume(data.newVolumeId, data.newVolumeSizeGb, true);
            try {
                GuestActionResponse r = compute.actions(i.hostEndpoint(), config.actionTimeout()).rebuild(
                        RebuildRequest.newBuilder().setSpec(GuestSpecs.of(i, i.flavor(), data.vnis, data.addressing, data.imageId,
                                boot)).build());
                return StepResult.next(RebuildFlow.SWAP_VOLUME, i.hostName() + " rebuilt the guest from "
                        + data.imageId + "; it is " + r.getGuest().getState());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.INTERNAL) { // the driver failed: not retried
                    data.nodeFailed = true;
                    return StepResult.compensate(i.hostName() + " could not rebuild the guest: "
                            + Failures.describe(e), Fault.STEP_REFUSED);
                }
                throw e;
            }
        }
    }

    /**
     * Done: the old boot volume is deleted, the instance records the new one
     * and the new image, ACTIVE, task cleared. Cleanup (the guest already runs
     * the new image: this is finished, never undone).
     */
    record SwapVolume(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances,
                      InstanceStateWriter writer) implements Step<Instance, RebuildData> {
        @Override
        public String name() {
            return RebuildFlow.SWAP_VOLUME;
        }

        @Override
        public String what() {
            return "replacing the boot volume (storage-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, RebuildData> ctx) {
            Instance i = ctx.resource();
            RebuildData data = ctx.data();
            if (data.newVolumeId != null && data.oldVolumeId != null && !data.oldVolumeId.equals(data.newVolumeId)) {
                deleteVolume(clients, config, i.projectId(), data.oldVolumeId);
            }
            boolean newVolume = data.newVolumeId != null;
            InstanceVolume boot = newVolume ? new InstanceVolume(data.newVolumeId, data.newVolumeSizeGb, true) : null;
            return StepResult.succeed("rebuilt from " + data.imageId
                            + (newVolume ? " on volume " + data.newVolumeId : " (container root filesystem)"),
                    InstanceWork.on(instances, i.id(), (c, now) -> {
                        if (newVolume && data.oldVolumeId != null) {
                            instances.removeVolume(c, now.id(), data.oldVolumeId);
                        }
                        if (newVolume) {
                            instances.addVolume(c, now.id(), boot);
                        }
                        writer.apply(c, now, InstanceChange.of(now).status(InstanceStatus.ACTIVE).task(null)
                                .fault(null));
                        instances.setImage(c, now.id(), data.imageId);
                    }));
        }
    }

    /** Undo: deletes the new boot volume, if one was made (cleanup). */
    record DeleteNewVolume(ServiceClients clients, InstanceFlowConfig config) implements Step<Instance, RebuildData> {
        @Override
        public String name() {
            return RebuildFlow.DELETE_NEW_VOLUME;
        }

        @Override
        public String what() {
            return "deleting the new boot volume (storage-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, RebuildData> ctx) {
            RebuildData data = ctx.data();
            if (data.newVolumeId == null) {
                return StepResult.next(RebuildFlow.RESTORE, "no new volume was made");
            }
            deleteVolume(clients, config, ctx.resource().projectId(), data.newVolumeId);
            return StepResult.next(RebuildFlow.RESTORE, "deleted volume " + data.newVolumeId);
        }
    }

    /**
     * Last undo step: the instance returns to its status before the rebuild
     * (or ERROR when the node failed midway and left the guest SHUTDOWN), task
     * cleared; the operation ends FAILED with the fault.
     */
    record Restore(InstanceRepository instances, InstanceStateWriter writer, OperationRepository operations)
            implements Step<Instance, RebuildData> {
        @Override
        public String name() {
            return RebuildFlow.RESTORE;
        }

        @Override
        public String what() {
            return "restoring the instance";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, RebuildData> ctx) {
            RebuildData data = ctx.data();
            Fault why = data.fault != null ? data.fault : new Fault("the rebuild failed", Fault.STEP_REFUSED);
            InstanceStatus back = data.nodeFailed || data.previousStatus == null ? InstanceStatus.ERROR
                    : data.previousStatus;
            String opId = ctx.operationId();
            return new StepResult.Finish(WorkflowState.FAILED, "the instance is " + back,
                    InstanceWork.on(instances, ctx.resource().id(), (c, now) -> {
                        writer.apply(c, now, InstanceChange.of(now).status(back).task(null)
                                .fault(back == InstanceStatus.ERROR ? why : now.fault()));
                        operations.finish(c, opId, OperationStatus.FAILED, why);
                    }));
        }
    }
}
