package io.virga.gateway.instance.migration;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.PowerReports;
import io.virga.gateway.workflow.Failures;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.TxWork;
import java.time.Instant;
import java.util.Optional;

/**
 * Evacuation: the instance's host is DOWN, so its guest is built again on the
 * destination from the instance's image and boot volume, with the same ports
 * (Spawn is idempotent on the instance id), and the move waits for the
 * destination's RUNNING report. The guest on the dead host is not touched:
 * when that host comes back and reports it, the gateway records it as an
 * orphan and the reaper destroys it.
 */
final class EvacuateSteps {
    static final String SPAWN_DESTINATION = "spawn_destination";
    static final String WAIT_DESTINATION = "wait_destination";

    private EvacuateSteps() {
    }

    record SpawnDestination(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return SPAWN_DESTINATION;
        }

        @Override
        public String what() {
            return "building the guest on the destination (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            try {
                SpawnResponse r = p.compute.spawn(d.dest.endpoint(), MoveSteps.spec(ctx.resource(), d));
                if (!r.getAccepted()) {
                    return StepResult.compensate(d.dest.name() + " refused to build the guest", Fault.SPAWN_FAILED);
                }
            } catch (StatusRuntimeException e) {
                if (Failures.classify(e.getStatus().getCode()) == Failures.Kind.REFUSED) {
                    return StepResult.compensate(d.dest.name() + " could not build the guest: "
                            + Failures.describe(e), Fault.SPAWN_FAILED);
                }
                throw e;
            }
            Instant deadline = Instant.now().plus(p.config.evacuateTimeout());
            d.deadline = deadline.toString();
            return new StepResult.Next(WAIT_DESTINATION, deadline, "building on " + d.dest.name(), TxWork.NONE,
                    false);
        }
    }

    record WaitDestination(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return WAIT_DESTINATION;
        }

        @Override
        public String what() {
            return "waiting for the guest to run on the destination";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            Optional<PowerReports.Report> report = PowerReports.latestFrom(ctx, d.dest.id());
            if (report.isPresent() && report.get().state().equals("RUNNING")) {
                return new StepResult.Next(MoveSteps.TRANSFER_CLAIM, Instant.now(), "the guest runs on "
                        + d.dest.name(), TxWork.NONE, true);
            }
            if (report.isPresent() && !report.get().state().equals("BUILDING")) {
                return new StepResult.Compensate(new Fault(report.get().describe(d.dest.name()), Fault.SPAWN_FAILED),
                        TxWork.NONE);
            }
            Instant deadline = Instant.parse(d.deadline);
            if (!Instant.now().isBefore(deadline)) {
                return StepResult.compensate(d.dest.name() + " did not report the guest running within "
                        + p.config.evacuateTimeout().toSeconds() + " s", Fault.SPAWN_FAILED);
            }
            return StepResult.waitUntil(deadline, "waiting for " + d.dest.name() + " to report the guest running");
        }
    }
}
