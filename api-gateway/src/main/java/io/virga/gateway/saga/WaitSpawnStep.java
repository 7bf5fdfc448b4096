package io.virga.gateway.saga;

import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Create step 5: waits for the spawning host's verdict, recorded on the saga
 * by the power-state consumer. RUNNING: the instance is ACTIVE on that host
 * and the saga is done. Any other verdict (FAILED, CRASHED, gone…) or no
 * verdict by the spawn deadline: that host failed, go to {@link RescheduleStep}.
 */
final class WaitSpawnStep implements SagaStep {
    private final InstanceStateWriter writer;
    private final OperationRepository operations;
    private final SagaMetrics metrics;
    private final SagaConfig config;

    WaitSpawnStep(InstanceStateWriter writer, OperationRepository operations, SagaMetrics metrics,
                  SagaConfig config) {
        this.writer = writer;
        this.operations = operations;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public String name() {
        return CreateFlow.WAIT_SPAWN;
    }

    @Override
    public String what() {
        return "waiting for the guest to run";
    }

    @Override
    public StepResult run(SagaContext ctx) {
        SagaRecord saga = ctx.saga();
        SagaData data = ctx.data();
        SagaData.ClaimRef claim = data.claim;
        if (claim == null) {
            return new StepResult.Next(CreateFlow.CLAIM, Instant.now(), "no claim held; claiming again",
                    TxWork.NONE, true);
        }
        String observed = saga.observedState();
        boolean fromThisHost = observed != null && claim.hostId().equals(saga.observedHost());
        if (fromThisHost && observed.equals("RUNNING")) {
            String opId = saga.operationId();
            return new StepResult.Finish(SagaState.SUCCEEDED, "guest running on " + claim.hostName(),
                    (c, instance) -> {
                        writer.apply(c, instance, InstanceChange.of(instance).status(InstanceStatus.ACTIVE)
                                .task(null).fault(null).host(claim.hostId(), claim.hostName(), claim.endpoint()));
                        operations.finish(c, opId, OperationStatus.SUCCEEDED, null);
                        metrics.instanceActive(Duration.between(instance.createdAt(), Instant.now()));
                    });
        }
        if (fromThisHost && !observed.equals("BUILDING")) {
            String message = saga.observedMessage();
            data.spawnFailure = claim.hostName() + " reported the guest " + observed
                    + (message == null || message.isBlank() ? "" : ": " + message);
            return new StepResult.Next(CreateFlow.RESCHEDULE, Instant.now(), data.spawnFailure, TxWork.NONE, true);
        }
        Instant deadline = data.spawnDeadline == null ? Instant.now() : Instant.parse(data.spawnDeadline);
        if (!Instant.now().isBefore(deadline)) {
            data.spawnFailure = claim.hostName() + " did not report the guest running within "
                    + config.spawnTimeout().toSeconds() + " s";
            return new StepResult.Next(CreateFlow.RESCHEDULE, Instant.now(), data.spawnFailure, TxWork.NONE, true);
        }
        return new StepResult.Wait(deadline, "waiting for " + claim.hostName() + " to report the guest running",
                observed != null);
    }
}
