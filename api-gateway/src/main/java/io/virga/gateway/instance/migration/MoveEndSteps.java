package io.virga.gateway.instance.migration;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.flow.GuestDestroyer;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.workflow.Failures;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.WorkflowState;
import java.util.Set;

/**
 * The steps that end a move one way or the other: undoing a move that failed
 * (destination guest and claim gone, source guest started again, instance as
 * before), confirming (source guest and claim gone) and reverting (destination
 * guest and claim gone, source back). All are cleanup: retried until done,
 * so that either way exactly one guest and one claim remain.
 */
final class MoveEndSteps {
    static final String DESTROY_DESTINATION = "destroy_destination";
    static final String RELEASE_DESTINATION = "release_destination";
    static final String START_SOURCE = "start_source";
    static final String ABORT = "abort";
    static final String DESTROY_SOURCE = "destroy_source";
    static final String CONFIRMED = "confirmed";
    static final String REVERTED = "reverted";
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND,
            Status.Code.UNIMPLEMENTED, Status.Code.INVALID_ARGUMENT);

    private MoveEndSteps() {
    }

    /** A cleanup step of a move. */
    private interface Cleanup extends Step<Instance, MoveData> {
        @Override
        default boolean cleanup() {
            return true;
        }
    }

    /** Destroys the guest on the destination, if one was claimed (idempotent; a dead host goes to the reaper). */
    record DestroyDestination(MoveParts p, String next) implements Cleanup {
        @Override
        public String name() {
            return DESTROY_DESTINATION;
        }

        @Override
        public String what() {
            return "destroying the guest on the destination (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            Migration.HostRef dest = ctx.data().dest;
            if (dest == null) {
                return StepResult.next(next, "no destination was claimed");
            }
            GuestDestroyer.Outcome o = p.destroyer.destroy(ctx, dest.id(), dest.name(), dest.endpoint());
            return StepResult.next(next, o.detail(), o.work());
        }
    }

    /** Releases the destination claim (consumer = the migration id); idempotent. */
    record ReleaseDestination(MoveParts p, String next) implements Cleanup {
        @Override
        public String name() {
            return RELEASE_DESTINATION;
        }

        @Override
        public String what() {
            return "releasing the destination claim (scheduler-svc)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            ReleaseResponse r = p.clients.scheduler(p.config.callTimeout()).releaseClaim(ReleaseRequest.newBuilder()
                    .setConsumerId(ctx.data().migrationId).build());
            return StepResult.next(next, r.getReleased() ? "released the claim on " + r.getHostId()
                    : "no destination claim held");
        }
    }

    /**
     * Starts the source guest again when the instance was ACTIVE before a cold
     * move stopped it. A refusal (the guest runs already, or is gone) is noted,
     * not retried: the node's power sync tells the gateway what is true.
     */
    record StartSource(MoveParts p, String next) implements Cleanup {
        @Override
        public String name() {
            return START_SOURCE;
        }

        @Override
        public String what() {
            return "starting the guest on the source again (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            if (d.previousStatus != InstanceStatus.ACTIVE || !d.kind().needsConfirm()) {
                return StepResult.next(next, "nothing to start");
            }
            try {
                p.compute.actions(d.source.endpoint(), p.config.actionTimeout()).start(GuestActionRequest
                        .newBuilder().setInstanceId(ctx.resource().id()).build());
                return StepResult.next(next, "started the guest on " + d.source.name());
            } catch (StatusRuntimeException e) {
                if (REFUSALS.contains(e.getStatus().getCode())) {
                    return StepResult.next(next, d.source.name() + " did not start the guest: " + Failures.describe(e));
                }
                throw e;
            }
        }
    }

    /**
     * Last undo step of a failed move: the instance is back on the source with
     * its old flavor and status, the migration {@code error}, the resize's
     * quota growth given back, the operation FAILED with the fault.
     */
    record Abort(MoveParts p) implements Cleanup {
        @Override
        public String name() {
            return ABORT;
        }

        @Override
        public String what() {
            return "restoring the instance on the source";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            Fault why = d.fault != null ? d.fault : new Fault("the move failed", Fault.STEP_REFUSED);
            String opId = ctx.operationId();
            return new StepResult.Finish(WorkflowState.FAILED, "the instance stays on " + d.source.name() + ", "
                    + d.previousStatus, InstanceWork.on(p.instances, ctx.resource().id(), (c, now) -> {
                        backOnSource(p, c, now, d);
                        p.migrations.move(c, d.migrationId, MigrationStatus.ERROR, why.message());
                        p.operations.finish(c, opId, OperationStatus.FAILED, why);
                    }));
        }
    }

    /** Confirm: destroys the guest left on the source (idempotent; a dead host goes to the reaper). */
    record DestroySource(MoveParts p, String next) implements Cleanup {
        @Override
        public String name() {
            return DESTROY_SOURCE;
        }

        @Override
        public String what() {
            return "destroying the guest on the source (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            Migration.HostRef source = ctx.data().source;
            GuestDestroyer.Outcome o = p.destroyer.destroy(ctx, source.id(), source.name(), source.endpoint());
            return StepResult.next(next, o.detail(), o.work());
        }
    }

    /** Confirm done: the instance keeps the destination and the new flavor, in its status before the move. */
    record Confirmed(MoveParts p) implements Cleanup {
        @Override
        public String name() {
            return CONFIRMED;
        }

        @Override
        public String what() {
            return "recording the confirmation";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            return StepResult.succeed("confirmed on " + d.dest.name(), InstanceWork.on(p.instances,
                    ctx.resource().id(), (c, now) -> {
                        p.writer.apply(c, now, InstanceChange.of(now).status(d.previousStatus).task(null));
                        MoveQuota.settle(p.quota, c, now.projectId(), d.oldFlavor, d.newFlavor, d.newFlavor);
                        p.migrations.move(c, d.migrationId, MigrationStatus.CONFIRMED, null);
                    }));
        }
    }

    /** Revert done: the instance is back on the source with its old flavor and status. */
    record Reverted(MoveParts p) implements Cleanup {
        @Override
        public String name() {
            return REVERTED;
        }

        @Override
        public String what() {
            return "recording the revert";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            return StepResult.succeed("reverted to " + d.source.name(), InstanceWork.on(p.instances,
                    ctx.resource().id(), (c, now) -> {
                        backOnSource(p, c, now, d);
                        p.migrations.move(c, d.migrationId, MigrationStatus.REVERTED, null);
                    }));
        }
    }

    /** The instance on the source again: host, old flavor, status before the move, quota settled. */
    static void backOnSource(MoveParts p, java.sql.Connection c, Instance now, MoveData d) throws Exception {
        Migration.HostRef s = d.source;
        p.writer.apply(c, now, InstanceChange.of(now).status(d.previousStatus).task(null)
                .host(s.id(), s.name(), s.endpoint()));
        FlavorSnapshot old = d.oldFlavor;
        p.instances.setFlavor(c, now.id(), old);
        MoveQuota.settle(p.quota, c, now.projectId(), d.oldFlavor, d.newFlavor, old);
    }
}
