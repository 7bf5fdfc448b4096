package io.virga.gateway.instance.action;

import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.WorkflowState;
import java.util.function.Function;

/**
 * The last undo step of an action that did not change the instance's status:
 * the task is cleared, the status stays, and the operation ends FAILED with
 * the fault that started the compensation. Cleanup (retried until done).
 */
public final class RestoreStep<D> implements Step<Instance, D> {
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final OperationRepository operations;
    private final Function<D, Fault> fault;

    public RestoreStep(InstanceRepository instances, InstanceStateWriter writer, OperationRepository operations,
                Function<D, Fault> fault) {
        this.instances = instances;
        this.writer = writer;
        this.operations = operations;
        this.fault = fault;
    }

    @Override
    public String name() {
        return PowerFlow.RESTORE;
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
    public StepResult run(StepContext<Instance, D> ctx) {
        Fault why = fault.apply(ctx.data()) != null ? fault.apply(ctx.data())
                : new Fault("the action failed", Fault.STEP_REFUSED);
        String opId = ctx.operationId();
        return new StepResult.Finish(WorkflowState.FAILED, "the instance stays " + ctx.resource().status(),
                InstanceWork.on(instances, ctx.resource().id(), (c, now) -> {
                    writer.apply(c, now, InstanceChange.of(now).task(null));
                    operations.finish(c, opId, OperationStatus.FAILED, why);
                }));
    }
}
