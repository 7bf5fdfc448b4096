package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.TxWork;
import io.virga.gateway.workflow.WorkflowState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Create step 5: waits for the spawning host's verdict, a power-state report
 * delivered to the workflow's mailbox (which wakes it at once). RUNNING: the
 * instance is ACTIVE on that host and the create is done. Any other verdict
 * (FAILED, CRASHED, gone…) or no verdict by the spawn deadline: that host
 * failed, go to {@link RescheduleStep}. So does a host the scheduler reports DOWN
 * while the guest is spawning (seen through {@link io.virga.gateway.host.HostLiveness},
 * looked at every few seconds): a dead host does not keep the create waiting for the
 * whole spawn timeout. Reports from other hosts are ignored.
 */
final class WaitSpawnStep implements Step<Instance, CreateData> {
    /** How often a waiting create looks whether its host went DOWN (the host's report wakes it at once). */
    private static final java.time.Duration HOST_RECHECK = java.time.Duration.ofSeconds(5);

    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final InstanceMetrics metrics;
    private final InstanceFlowConfig config;
    private final io.virga.gateway.host.HostLiveness liveness;

    WaitSpawnStep(InstanceRepository instances, InstanceStateWriter writer, InstanceMetrics metrics,
                  InstanceFlowConfig config, io.virga.gateway.host.HostLiveness liveness) {
        this.liveness = liveness;
        this.instances = instances;
        this.writer = writer;
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
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        CreateData data = ctx.data();
        CreateData.ClaimRef claim = data.claim;
        String id = ctx.resource().id();
        if (claim == null) {
            return new StepResult.Next(CreateFlow.CLAIM, Instant.now(), "no claim held; claiming again",
                    TxWork.NONE, true);
        }
        Optional<PowerReports.Report> report = PowerReports.latestFrom(ctx, claim.hostId());
        if (report.isPresent() && report.get().state().equals("RUNNING")) {
            return new StepResult.Finish(WorkflowState.SUCCEEDED, "guest running on " + claim.hostName(),
                    InstanceWork.on(instances, id, (c, instance) -> {
                        writer.apply(c, instance, InstanceChange.of(instance).status(InstanceStatus.ACTIVE)
                                .task(null).fault(null).host(claim.hostId(), claim.hostName(), claim.endpoint()));
                        metrics.instanceActive(Duration.between(instance.createdAt(), Instant.now()));
                    }));
        }
        if (report.isPresent() && !report.get().state().equals("BUILDING")) {
            data.spawnFailure = report.get().describe(claim.hostName());
            return new StepResult.Next(CreateFlow.RESCHEDULE, Instant.now(), data.spawnFailure, TxWork.NONE, true);
        }
        if (liveness.isDown(claim.hostId())) {
            data.spawnFailure = claim.hostName() + " went DOWN (no heartbeat) while spawning the guest";
            return new StepResult.Next(CreateFlow.RESCHEDULE, Instant.now(), data.spawnFailure, TxWork.NONE, true);
        }
        Instant deadline = data.spawnDeadline == null ? Instant.now() : Instant.parse(data.spawnDeadline);
        if (!Instant.now().isBefore(deadline)) {
            data.spawnFailure = claim.hostName() + " did not report the guest running within "
                    + config.spawnTimeout().toSeconds() + " s";
            return new StepResult.Next(CreateFlow.RESCHEDULE, Instant.now(), data.spawnFailure, TxWork.NONE, true);
        }
        // woken at once by the host's report; otherwise looks again every few seconds whether the host went DOWN
        Instant recheck = Instant.now().plus(HOST_RECHECK);
        return StepResult.waitUntil(recheck.isBefore(deadline) ? recheck : deadline,
                "waiting for " + claim.hostName() + " to report the guest running");
    }
}
