package io.virga.gateway.instance.rebuild;

import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.flow.InstanceFlow;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.workflow.WorkflowState;
import jakarta.inject.Singleton;

/**
 * Rebuilding an instance on a new image ({@code instance.rebuild}; REBUILDING,
 * task rebuilding): same id, host, ports and addresses.
 * <pre>
 * boot_volume (new, from the image) ──▶ rebuild (node: same NICs, new disk, boots) ──▶ swap_volume
 *     (old boot volume deleted, new one and the image recorded; ACTIVE)
 * compensation: delete_new_volume ──▶ restore (status before; ERROR when the node failed midway)
 * </pre>
 */
@Singleton
public class RebuildFlow extends InstanceFlow<RebuildData> {
    public static final String NAME = "instance.rebuild";
    static final String BOOT_VOLUME = "boot_volume";
    static final String REBUILD = "rebuild";
    static final String SWAP_VOLUME = "swap_volume";
    static final String DELETE_NEW_VOLUME = "delete_new_volume";
    static final String RESTORE = "restore";

    public RebuildFlow(ServiceClients clients, ComputeClients compute, InstanceFlowConfig config,
                       InstanceRepository instances, InstanceStateWriter writer, OperationRepository operations) {
        super(instances, writer);
        add(new RebuildSteps.BootVolume(clients, config));
        add(new RebuildSteps.Rebuild(compute, config));
        add(new RebuildSteps.SwapVolume(clients, config, instances, writer));
        add(new RebuildSteps.DeleteNewVolume(clients, config));
        add(new RebuildSteps.Restore(instances, writer, operations));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<RebuildData> dataType() {
        return RebuildData.class;
    }

    @Override
    public String firstStep() {
        return BOOT_VOLUME;
    }

    @Override
    public String firstCompensationStep() {
        return DELETE_NEW_VOLUME;
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        return null; // rebuilding is set when accepted and cleared at the end
    }
}
