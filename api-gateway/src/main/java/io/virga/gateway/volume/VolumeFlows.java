package io.virga.gateway.volume;

import io.virga.contracts.compute.v1.AttachVolumeRequest;
import io.virga.contracts.compute.v1.DetachVolumeRequest;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskBus;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.VolumeResizedRequest;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.StepTable;
import io.virga.gateway.workflow.TxWork;
import io.virga.gateway.workflow.WorkflowState;
import java.sql.Connection;
import java.time.Duration;

/**
 * The volume workflows (resource type {@code volume}, one active per volume):
 *
 * <pre>
 * volume.attach  claim (storage BeginAttach: ATTACHING) → plug (node AttachVolume: QMP blockdev-add + device_add)
 *                → done (storage EndAttach: IN_USE)
 *                undo: unplug (node DetachVolume) → release (storage EndAttach failed: back to AVAILABLE / IN_USE)
 * volume.detach  claim (BeginDetach: DETACHING) → unplug (node DetachVolume: device_del, waits for the guest)
 *                → done (EndDetach: AVAILABLE)
 *                undo: release (EndDetach failed: IN_USE, the error kept)
 * volume.extend  resize (node VolumeResized per guest: QMP block_resize) → done (storage EndExtend: IN_USE, new size)
 *                undo: release (EndExtend failed: IN_USE, old size)
 * </pre>
 * Every call is idempotent for the same volume and instance (the storage claims
 * return the existing claim, the node ignores a known attach or an unknown
 * detach), so a step runs again safely after a gateway crash. Undo steps are
 * cleanup: retried until they succeed, nothing stays transient.
 */
final class VolumeFlows {
    static final String RESOURCE = "volume";
    static final Duration HOTPLUG_DEADLINE = Duration.ofSeconds(90);

    private VolumeFlows() {
    }

    /** The shared shape: resource = volume id, data = {@link VolumeFlowData}. */
    abstract static class Base extends StepTable<String, VolumeFlowData> {
        @Override
        public String resourceType() {
            return RESOURCE;
        }

        @Override
        public Class<VolumeFlowData> dataType() {
            return VolumeFlowData.class;
        }

        @Override
        public String load(Connection c, String resourceId) {
            return resourceId;
        }
    }

    static StorageServiceBlockingStub storage(ServiceClients clients) {
        return clients.storage(Duration.ofSeconds(60));
    }

    static EndOperationRequest end(StepContext<String, VolumeFlowData> ctx, boolean ok) {
        VolumeFlowData d = ctx.data();
        return EndOperationRequest.newBuilder().setProjectId(d.projectId).setId(ctx.resource())
                .setInstanceId(d.instanceId == null ? "" : d.instanceId).setSucceeded(ok)
                .setError(ok || d.fault == null ? "" : d.fault.message()).build();
    }

    static StepResult failed(StepContext<String, VolumeFlowData> ctx, String detail) {
        return new StepResult.Finish(WorkflowState.FAILED, detail, TxWork.NONE);
    }

    static Disk disk(String volumeId, VolumeFlowData d) {
        return Disk.newBuilder().setVolumeId(volumeId).setSizeGb(d.sizeGb).setBoot(false)
                .setConnection(DiskConnection.newBuilder().setPath(d.path)
                        .setFormat("raw".equals(d.format) ? DiskFormat.DISK_FORMAT_RAW : DiskFormat.DISK_FORMAT_QCOW2)
                        .setBus(DiskBus.DISK_BUS_VIRTIO))
                .build();
    }

    static AttachmentRequest claim(StepContext<String, VolumeFlowData> ctx) {
        return AttachmentRequest.newBuilder().setProjectId(ctx.data().projectId).setId(ctx.resource())
                .setInstanceId(ctx.data().instanceId).build();
    }

    /** {@code volume.attach}. */
    @jakarta.inject.Singleton
    static class Attach extends Base {
        static final String NAME = "volume.attach";

        Attach(ServiceClients clients, ComputeClients compute) {
            add(new VolumeStep("claim", "claiming the volume (storage-svc)", false, ctx -> {
                Volume v = storage(clients).beginAttach(claim(ctx));
                if (v.getPath().isEmpty()) {
                    return StepResult.compensate("volume " + v.getId() + " has no file a hypervisor can open",
                            Fault.STEP_REFUSED);
                }
                ctx.data().path = v.getPath();
                ctx.data().format = v.getFormat();
                ctx.data().sizeGb = v.getSizeGb();
                return StepResult.next("plug", "volume " + v.getId() + " is ATTACHING (" + v.getPath() + ")");
            }));
            add(new VolumeStep("plug", "hot-plugging the disk (compute node)", false, ctx -> {
                VolumeFlowData d = ctx.data();
                compute.actions(d.hostEndpoint, HOTPLUG_DEADLINE).attachVolume(AttachVolumeRequest.newBuilder()
                        .setInstanceId(d.instanceId).setDisk(disk(ctx.resource(), d)).build());
                return StepResult.next("done", "plugged into " + d.instanceId);
            }));
            add(new VolumeStep("done", "recording the attachment (storage-svc)", false, ctx -> {
                storage(clients).endAttach(end(ctx, true));
                return StepResult.succeed("volume " + ctx.resource() + " is IN_USE by " + ctx.data().instanceId,
                        TxWork.NONE);
            }));
            add(new VolumeStep("unplug", "unplugging the disk (compute node)", true, ctx -> {
                VolumeFlowData d = ctx.data();
                if (d.path != null) {
                    unplug(compute, d, ctx.resource());
                }
                return StepResult.next("release", "unplugged (if it was plugged)");
            }));
            add(new VolumeStep("release", "releasing the volume's claim (storage-svc)", true, ctx -> {
                storage(clients).endAttach(end(ctx, false));
                return failed(ctx, "the volume is back where it was");
            }));
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String firstStep() {
            return "claim";
        }

        @Override
        public String firstCompensationStep() {
            return "unplug";
        }
    }

    /** Hot-unplugs volume {@code volumeId} from the flow's instance on its host, when it has one. */
    static void unplug(ComputeClients compute, VolumeFlowData d, String volumeId) {
        if (d.hostEndpoint != null) {
            compute.actions(d.hostEndpoint, HOTPLUG_DEADLINE).detachVolume(DetachVolumeRequest.newBuilder()
                    .setInstanceId(d.instanceId).setVolumeId(volumeId).build());
        }
    }

    /** {@code volume.detach}. */
    @jakarta.inject.Singleton
    static class Detach extends Base {
        static final String NAME = "volume.detach";

        Detach(ServiceClients clients, ComputeClients compute) {
            add(new VolumeStep("claim", "claiming the volume (storage-svc)", false, ctx -> {
                Volume v = storage(clients).beginDetach(claim(ctx));
                return StepResult.next("unplug", "volume " + v.getId() + " is " + v.getStatus());
            }));
            add(new VolumeStep("unplug", "unplugging the disk (compute node)", false, ctx -> {
                VolumeFlowData d = ctx.data();
                unplug(compute, d, ctx.resource());
                return StepResult.next("done", "unplugged from " + d.instanceId);
            }));
            add(new VolumeStep("done", "recording the detach (storage-svc)", false, ctx -> {
                Volume v = storage(clients).endDetach(end(ctx, true));
                return StepResult.succeed("volume " + v.getId() + " is " + v.getStatus(), TxWork.NONE);
            }));
            add(new VolumeStep("release", "releasing the volume's claim (storage-svc)", true, ctx -> {
                storage(clients).endDetach(end(ctx, false));
                return failed(ctx, "the volume stays attached");
            }));
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String firstStep() {
            return "claim";
        }

        @Override
        public String firstCompensationStep() {
            return "release";
        }
    }

    /** {@code volume.extend} of an attached volume (storage-svc already holds it EXTENDING). */
    @jakarta.inject.Singleton
    static class Extend extends Base {
        static final String NAME = "volume.extend";

        Extend(ServiceClients clients, ComputeClients compute) {
            add(new VolumeStep("resize", "resizing the disk in the guests (compute nodes)", false, ctx -> {
                VolumeFlowData d = ctx.data();
                for (VolumeFlowData.Guest g : d.guests) {
                    if (g.hostEndpoint != null) {
                        compute.actions(g.hostEndpoint, HOTPLUG_DEADLINE).volumeResized(VolumeResizedRequest
                                .newBuilder().setInstanceId(g.instanceId).setVolumeId(ctx.resource())
                                .setSizeGb(d.sizeGb).build());
                    }
                    ctx.ensureLease();
                }
                return StepResult.next("done", d.guests.size() + " guest(s) told: " + d.sizeGb + " GiB");
            }));
            add(new VolumeStep("done", "recording the new size (storage-svc)", false, ctx -> {
                Volume v = storage(clients).endExtend(end(ctx, true));
                return StepResult.succeed("volume " + v.getId() + " is " + v.getSizeGb() + " GiB", TxWork.NONE);
            }));
            add(new VolumeStep("release", "releasing the volume's claim (storage-svc)", true, ctx -> {
                storage(clients).endExtend(end(ctx, false));
                return failed(ctx, "the volume keeps its size");
            }));
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String firstStep() {
            return "resize";
        }

        @Override
        public String firstCompensationStep() {
            return "release";
        }
    }
}
