package io.virga.gateway.instance.blockdevice;

import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.CreateData;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;

/**
 * Create compensation step {@code release_block_devices} (after {@code delete_volumes}, which detached
 * every volume of the instance): deletes the boot volume {@link BlockDeviceStep} made for the instance,
 * with or without delete_on_termination, since the instance it was made for never came to be. The
 * volumes the user brought stay, detached. Cleanup: idempotent (a volume already gone answers 0) and
 * retried until done.
 */
public final class ReleaseBlockDevicesStep implements Step<Instance, CreateData> {
    public static final String NAME = "release_block_devices";

    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final String next;

    public ReleaseBlockDevicesStep(ServiceClients clients, InstanceFlowConfig config, String next) {
        this.clients = clients;
        this.config = config;
        this.next = next;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String what() {
        return "deleting the boot volume made for the instance (storage-svc)";
    }

    @Override
    public boolean cleanup() {
        return true;
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        BlockDevicePlan plan = ctx.data().blockDevices;
        if (plan == null || plan.madeVolumeId == null) {
            return StepResult.next(next, "no volume was made for the instance");
        }
        int deleted = clients.storage(config.volumeCallTimeout()).deleteVolume(DeleteVolumeRequest.newBuilder()
                .setProjectId(ctx.resource().projectId()).setId(plan.madeVolumeId).setForce(true).build()).getDeleted();
        return StepResult.next(next, deleted == 0 ? "volume " + plan.madeVolumeId + " was gone already"
                : "deleted volume " + plan.madeVolumeId);
    }
}
