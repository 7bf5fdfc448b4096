package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.clients.ServiceClients;

import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceVolume;
import java.time.Instant;

/**
 * Create step 2: the boot volume, copy-on-write from the image, owned by the
 * instance with delete_on_termination (so DeleteVolumesByOwner undoes it).
 * Idempotent on request id {@code <instance>:boot}. A volume still CREATING is
 * asked for again every half second until {@link InstanceFlowConfig#volumeBuildTimeout()}.
 */
final class BootVolumeStep implements Step<Instance, CreateData> {
    private static final long POLL_MS = 500;

    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final String next;

    BootVolumeStep(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances, String next) {
        this.clients = clients;
        this.config = config;
        this.instances = instances;
        this.next = next;
    }

    /** block_devices only when the create asked for volumes (else straight to claim, as before). */
    private String after(CreateData data) {
        return data.blockDevices == null || data.blockDevices.isEmpty() ? CreateFlow.CLAIM : next;
    }

    @Override
    public String name() {
        return CreateFlow.BOOT_VOLUME;
    }

    @Override
    public String what() {
        return "creating the boot volume (storage-svc)";
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        Instance i = ctx.resource();
        CreateData data = ctx.data();
        if (data.blockDevices != null && data.blockDevices.bootsFromVolume()) {
            return StepResult.next(after(data), "boots from a volume (see block_devices)");
        }
        Instant now = Instant.now();
        if (data.volumeDeadline == null) {
            data.volumeDeadline = now.plus(config.volumeBuildTimeout()).toString();
        }
        Volume v = clients.storage(config.volumeCallTimeout()).createVolume(CreateVolumeRequest.newBuilder()
                .setProjectId(i.projectId())
                .setName(i.name() + "-boot")
                .setSizeGb(data.bootSizeGb)
                .setImageId(i.imageId())
                .setOwnerId(i.id())
                .setDeleteOnTermination(true)
                .setRequestId(i.id() + ":boot")
                .build());
        data.bootVolume = new CreateData.VolumeRef(v.getId(), v.getSizeGb());
        switch (v.getStatus()) {
            case "ERROR":
                return StepResult.compensate("the boot volume " + v.getId() + " failed to build from image "
                        + i.imageId(), Fault.STEP_REFUSED);
            case "CREATING":
                if (now.isAfter(Instant.parse(data.volumeDeadline))) {
                    return StepResult.compensate("the boot volume " + v.getId() + " was not ready within "
                            + config.volumeBuildTimeout().toSeconds() + " s", Fault.STEP_REFUSED);
                }
                return StepResult.waitUntil(now.plusMillis(POLL_MS), "volume " + v.getId() + " is CREATING");
            default:
                InstanceVolume row = new InstanceVolume(v.getId(), v.getSizeGb(), true);
                return StepResult.next(after(data), "volume " + v.getId() + " (" + v.getSizeGb() + " GiB) from "
                        + i.imageId(), InstanceWork.on(instances, i.id(), (c, instance) -> instances.addVolume(c, instance.id(), row)));
        }
    }
}
