package io.virga.gateway.instance.action;

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
 * The power actions ({@code instance.power}): stop, start, reboot, pause,
 * unpause, suspend, resume.
 * <pre>
 * call (the node's synchronous RPC: it returns once the driver has done it) ──▶ end status, no task
 * compensation (refused by the node, unreachable past the outage budget): restore (status kept, task cleared)
 * </pre>
 * The node's power-state events meanwhile land in this workflow's mailbox
 * (not applied at rest), so the instance changes once, when the call returns.
 */
@Singleton
public class PowerFlow extends InstanceFlow<PowerData> {
    public static final String NAME = "instance.power";
    public static final String CALL = "call";
    public static final String RESTORE = "restore";

    public PowerFlow(ComputeClients compute, InstanceFlowConfig config, InstanceRepository instances,
                     InstanceStateWriter writer, OperationRepository operations) {
        super(instances, writer);
        add(new PowerCallStep(compute, config, instances, writer));
        add(new RestoreStep<>(instances, writer, operations, d -> d.fault));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<PowerData> dataType() {
        return PowerData.class;
    }

    @Override
    public String firstStep() {
        return CALL;
    }

    @Override
    public String firstCompensationStep() {
        return RESTORE;
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        return null; // the task is set when the action is accepted and cleared when it ends
    }
}
