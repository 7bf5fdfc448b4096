package io.virga.gateway.instance.action;

import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.GuestActionResponse;
import io.virga.contracts.compute.v1.RebootRequest;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import java.time.Duration;

/**
 * Asks the instance's host to do the power action and, once it returns, sets
 * the action's end status and clears the task. Idempotent: the node's power
 * RPCs leave a guest already in the asked state as it is (a retry after a
 * crash finds it done). A refusal (FAILED_PRECONDITION, UNIMPLEMENTED,
 * NOT_FOUND) compensates with the node's message.
 */
final class PowerCallStep implements Step<Instance, PowerData> {
    private final ComputeClients compute;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;

    PowerCallStep(ComputeClients compute, InstanceFlowConfig config, InstanceRepository instances,
                  InstanceStateWriter writer) {
        this.compute = compute;
        this.config = config;
        this.instances = instances;
        this.writer = writer;
    }

    @Override
    public String name() {
        return PowerFlow.CALL;
    }

    @Override
    public String what() {
        return "asking the host (compute-node)";
    }

    @Override
    public StepResult run(StepContext<Instance, PowerData> ctx) {
        Instance i = ctx.resource();
        PowerData data = ctx.data();
        InstanceAction action = data.action();
        if (i.hostEndpoint() == null) {
            return StepResult.compensate("the instance has no host", Fault.STEP_REFUSED);
        }
        Duration deadline = config.actionTimeout().plusSeconds(data.graceSeconds);
        GuestActionResponse r = call(compute.actions(i.hostEndpoint(), deadline), action, i.id(), data);
        InstanceStatus end = action.endsIn();
        return StepResult.succeed(i.hostName() + " reports the guest " + r.getGuest().getState(),
                InstanceWork.on(instances, i.id(), (c, now) -> writer.apply(c, now, InstanceChange.of(now)
                        .status(end).task(null).fault(null))));
    }

    private static GuestActionResponse call(ComputeServiceGrpc.ComputeServiceBlockingStub node, InstanceAction action,
                                            String id, PowerData data) {
        GuestActionRequest plain = GuestActionRequest.newBuilder().setInstanceId(id).build();
        return switch (action) {
            case STOP -> node.stop(StopRequest.newBuilder().setInstanceId(id).setGraceSeconds(data.graceSeconds)
                    .build());
            case START -> node.start(plain);
            case REBOOT -> node.reboot(RebootRequest.newBuilder().setInstanceId(id)
                    .setType(data.hard ? RebootRequest.Type.HARD : RebootRequest.Type.SOFT)
                    .setGraceSeconds(data.graceSeconds).build());
            case PAUSE -> node.pause(plain);
            case UNPAUSE -> node.unpause(plain);
            case SUSPEND -> node.suspend(plain);
            case RESUME -> node.resume(plain);
            default -> throw new IllegalStateException(action + " is not a power action");
        };
    }
}
