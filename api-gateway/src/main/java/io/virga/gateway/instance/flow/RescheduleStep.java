package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.TxWork;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.instance.Instance;

import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import java.time.Instant;

/**
 * After a spawn failed on a host: destroy whatever the host left, release the
 * claim, exclude the host and claim again — or, once
 * {@link InstanceFlowConfig#maxHosts()} hosts have failed, compensate with a fault
 * that says why the last one failed. Idempotent (destroy and release are).
 */
final class RescheduleStep implements Step<Instance, CreateData> {
    private final ServiceClients clients;
    private final GuestDestroyer destroyer;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final InstanceFlowConfig config;

    RescheduleStep(ServiceClients clients, GuestDestroyer destroyer, InstanceRepository instances,
                   InstanceStateWriter writer, InstanceFlowConfig config) {
        this.clients = clients;
        this.destroyer = destroyer;
        this.instances = instances;
        this.writer = writer;
        this.config = config;
    }

    @Override
    public String name() {
        return CreateFlow.RESCHEDULE;
    }

    @Override
    public String what() {
        return "moving off a failed host";
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        CreateData data = ctx.data();
        CreateData.ClaimRef claim = data.claim;
        String detail = "";
        TxWork orphan = TxWork.NONE;
        if (claim != null) {
            GuestDestroyer.Outcome destroyed = destroyer.destroy(ctx, claim.hostId(), claim.hostName(),
                    claim.endpoint());
            detail = destroyed.detail();
            orphan = destroyed.work();
            clients.scheduler(config.callTimeout()).releaseClaim(ReleaseRequest.newBuilder()
                    .setConsumerId(ctx.resource().id()).build());
            if (!ctx.data().excludedHosts.contains(claim.hostId())) {
                ctx.data().excludedHosts.add(claim.hostId());
            }
            data.hostsTried++;
            data.claim = null;
            data.spawnDeadline = null;
        }
        if (data.hostsTried >= config.maxHosts()) {
            return new StepResult.Compensate(new Fault("spawning failed on " + data.hostsTried + " hosts; last: "
                    + data.spawnFailure, Fault.SPAWN_FAILED), orphan);
        }
        TxWork recordOrphan = orphan;
        return new StepResult.Next(CreateFlow.CLAIM, Instant.now(),
                detail + "; released the claim, trying another host", recordOrphan.andThen(
                        InstanceWork.on(instances, ctx.resource().id(), (c, instance) ->
                                writer.apply(c, instance, InstanceChange.of(instance).host(null, null, null)))), true);
    }
}
