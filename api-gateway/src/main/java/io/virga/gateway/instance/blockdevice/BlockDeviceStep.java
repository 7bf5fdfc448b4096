package io.virga.gateway.instance.blockdevice;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceVolume;
import io.virga.gateway.instance.flow.CreateData;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Create step {@code block_devices} (after {@code boot_volume}, before {@code claim}): makes the boot
 * volume from the instance's image when asked ({@code boot_volume.size_gb}; storage-svc CreateVolume,
 * request id {@code <instance>:boot-volume}, with the instance's delete_on_termination), waits until it
 * is AVAILABLE, then attaches every volume to the instance in storage-svc (BeginAttach + EndAttach:
 * the guest is not running yet, so there is nothing to hot-plug; spawn hands the volumes' files to the
 * hypervisor, boot volume first). Records each volume in the instance's volumes.
 *
 * <p>Idempotent: CreateVolume on its request id, BeginAttach / EndAttach for the same (volume,
 * instance), and what is attached is kept in {@link BlockDevicePlan#attached}. A volume that is no
 * longer attachable (another instance took it since validation) is a refusal: the create compensates.
 * Compensation: {@code delete_volumes} (DeleteVolumesByOwner) detaches every volume of the instance and
 * deletes those made with delete_on_termination; then {@link ReleaseBlockDevicesStep} deletes the volume
 * made for the instance whatever its flag (the instance never existed).
 */
public final class BlockDeviceStep implements Step<Instance, CreateData> {
    public static final String NAME = "block_devices";
    private static final long POLL_MS = 500;

    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final String next;

    public BlockDeviceStep(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances,
                           String next) {
        this.clients = clients;
        this.config = config;
        this.instances = instances;
        this.next = next;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String what() {
        return "making and attaching the instance's volumes (storage-svc)";
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        Instance i = ctx.resource();
        BlockDevicePlan plan = ctx.data().blockDevices;
        if (plan == null || plan.isEmpty()) {
            return StepResult.next(next, "no volumes asked for");
        }
        StorageServiceBlockingStub storage = clients.storage(config.volumeCallTimeout());
        if (plan.newBootSizeGb > 0) {
            StepResult waiting = makeBootVolume(storage, i, plan);
            if (waiting != null) {
                return waiting;
            }
        }
        List<String> done = new ArrayList<>();
        for (BlockDevicePlan.BootOrData d : plan.toAttach()) {
            if (plan.isAttached(d.volumeId())) {
                continue;
            }
            ctx.ensureLease();
            Volume v = attach(storage, i, d.volumeId());
            if (!v.getAttachmentsList().contains(i.id())) {
                return StepResult.compensate("volume " + v.getId() + " could not be attached to " + i.id() + ": it is "
                        + v.getStatus() + (v.getError().isEmpty() ? "" : " (" + v.getError() + ")"), Fault.STEP_REFUSED);
            }
            plan.attached.add(new BlockDevicePlan.Device(v.getId(), v.getSizeGb(), d.boot(), v.getPath(),
                    v.getFormat()));
            done.add(v.getId() + (d.boot() ? " (boot)" : ""));
        }
        List<BlockDevicePlan.Device> devices = List.copyOf(plan.attached);
        return StepResult.next(next, "attached " + (done.isEmpty() ? "nothing new" : String.join(", ", done)),
                InstanceWork.on(instances, i.id(), (c, instance) -> {
                    for (BlockDevicePlan.Device d : devices) {
                        instances.addVolume(c, instance.id(), new InstanceVolume(d.volumeId(), d.sizeGb(), d.boot()));
                    }
                }));
    }

    /** Asks for the boot volume; null once it is AVAILABLE, else what to do now (wait, or give up). */
    private StepResult makeBootVolume(StorageServiceBlockingStub storage, Instance i, BlockDevicePlan plan) {
        Instant now = Instant.now();
        if (plan.buildDeadline == null) {
            plan.buildDeadline = now.plus(config.volumeBuildTimeout()).toString();
        }
        boolean first = plan.madeVolumeId == null;
        Volume v = storage.createVolume(CreateVolumeRequest.newBuilder()
                .setProjectId(i.projectId())
                .setName(i.name() + "-boot")
                .setSizeGb(plan.newBootSizeGb)
                .setImageId(i.imageId())
                .setDeleteOnTermination(plan.deleteOnTermination)
                .setRequestId(i.id() + ":boot-volume")
                .build());
        plan.madeVolumeId = v.getId();
        if ("ERROR".equals(v.getStatus())) {
            return StepResult.compensate("the boot volume " + v.getId() + " failed to build from image " + i.imageId()
                    + (v.getError().isEmpty() ? "" : ": " + v.getError()), Fault.STEP_REFUSED);
        }
        if (first || "CREATING".equals(v.getStatus())) {
            if (now.isAfter(Instant.parse(plan.buildDeadline))) {
                return StepResult.compensate("the boot volume " + v.getId() + " was not ready within "
                        + config.volumeBuildTimeout().toSeconds() + " s", Fault.STEP_REFUSED);
            }
            // the first answer is saved before anything else happens, so compensation knows the volume
            return StepResult.waitUntil(now.plusMillis(POLL_MS), "boot volume " + v.getId() + " is " + v.getStatus());
        }
        return null;
    }

    /** Attaches {@code volumeId} to the instance in storage-svc; answers the volume as it is then. */
    private static Volume attach(StorageServiceBlockingStub storage, Instance i, String volumeId) {
        try {
            storage.beginAttach(AttachmentRequest.newBuilder().setProjectId(i.projectId()).setId(volumeId)
                    .setInstanceId(i.id()).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
            return storage.getVolume(GetVolumeRequest.newBuilder().setProjectId(i.projectId()).setId(volumeId).build());
        }
        return storage.endAttach(EndOperationRequest.newBuilder().setProjectId(i.projectId()).setId(volumeId)
                .setInstanceId(i.id()).setSucceeded(true).build());
    }
}
