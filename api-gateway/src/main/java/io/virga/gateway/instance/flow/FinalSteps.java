package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.WorkflowState;

import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.quota.Usage;
import java.sql.Connection;

/**
 * The last steps, after every remote resource is gone: give the quota back
 * (exactly once, guarded by {@code instances.quota_held}) and set the final
 * status, all in one transaction with the operation's end.
 */
final class FinalSteps {
    static final String MARK_ERROR = "mark_error";
    static final String MARK_DELETED = "mark_deleted";

    private FinalSteps() {
    }

    /** Releases the instance's quota if it still holds it; returns the change with quota marked released. */
    static InstanceChange releaseQuota(QuotaService quota, Connection c, Instance i) {
        InstanceChange change = InstanceChange.of(i);
        if (i.quotaHeld()) {
            quota.release(c, i.projectId(), new Usage(1, i.flavor().vcpus(), i.flavor().ramMb()));
            change.quotaReleased();
        }
        return change;
    }

    /** Create compensation ends here: the instance is ERROR with the saga's fault and nothing allocated. */
    static final class MarkError implements Step<Instance, CreateData> {
        private final InstanceStateWriter writer;
        private final InstanceRepository instances;
        private final OperationRepository operations;
        private final QuotaService quota;
        private final InstanceMetrics metrics;

        MarkError(InstanceStateWriter writer, InstanceRepository instances, OperationRepository operations,
                  QuotaService quota, InstanceMetrics metrics) {
            this.writer = writer;
            this.instances = instances;
            this.operations = operations;
            this.quota = quota;
            this.metrics = metrics;
        }

        @Override
        public String name() {
            return MARK_ERROR;
        }

        @Override
        public String what() {
            return "releasing the quota";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, CreateData> ctx) {
            Fault fault = ctx.data().fault != null ? ctx.data().fault
                    : new Fault("the instance could not be built", Fault.STEP_REFUSED);
            String opId = ctx.operationId();
            return new StepResult.Finish(WorkflowState.FAILED, "quota released; instance is ERROR",
                    InstanceWork.on(instances, ctx.resource().id(), (c, instance) -> {
                instances.removePorts(c, instance.id());
                instances.removeVolumes(c, instance.id());
                writer.apply(c, instance, releaseQuota(quota, c, instance).status(InstanceStatus.ERROR).task(null)
                        .host(null, null, null).fault(fault));
                operations.finish(c, opId, OperationStatus.FAILED, fault);
                metrics.instanceFailed(fault.code());
            }));
        }
    }

    /** Delete ends here: the instance is DELETED and its quota given back. */
    static final class MarkDeleted implements Step<Instance, NoData> {
        private final InstanceStateWriter writer;
        private final InstanceRepository instances;
        private final OperationRepository operations;
        private final QuotaService quota;

        MarkDeleted(InstanceStateWriter writer, InstanceRepository instances, OperationRepository operations,
                    QuotaService quota) {
            this.writer = writer;
            this.instances = instances;
            this.operations = operations;
            this.quota = quota;
        }

        @Override
        public String name() {
            return MARK_DELETED;
        }

        @Override
        public String what() {
            return "releasing the quota";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, NoData> ctx) {
            String opId = ctx.operationId();
            return new StepResult.Finish(WorkflowState.SUCCEEDED, "quota released; instance is DELETED",
                    InstanceWork.on(instances, ctx.resource().id(), (c, instance) -> {
                        instances.removePorts(c, instance.id());
                        instances.removeVolumes(c, instance.id());
                        writer.apply(c, instance, releaseQuota(quota, c, instance)
                                .status(InstanceStatus.DELETED).task(null));
                        operations.finish(c, opId, OperationStatus.SUCCEEDED, null);
                    }));
        }
    }
}
