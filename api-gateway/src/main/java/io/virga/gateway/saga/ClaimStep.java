package io.virga.gateway.saga;

import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.Unschedulable;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStateWriter;
import java.util.stream.Collectors;

/**
 * Create step 3: the scheduler picks a host (never one in the excluded list)
 * and claims the flavor's resources on it, for consumer = instance id
 * (idempotent: a retry gets the same claim). The host is recorded on the
 * instance at once, so a delete arriving later knows where a guest may be.
 * "No host fits" ends the create: compensate with the scheduler's reasons.
 */
final class ClaimStep implements SagaStep {
    private final ServiceClients clients;
    private final SagaConfig config;
    private final InstanceStateWriter writer;
    private final String next;

    ClaimStep(ServiceClients clients, SagaConfig config, InstanceStateWriter writer, String next) {
        this.clients = clients;
        this.config = config;
        this.writer = writer;
        this.next = next;
    }

    @Override
    public String name() {
        return CreateFlow.CLAIM;
    }

    @Override
    public String what() {
        return "claiming a host (scheduler-svc)";
    }

    @Override
    public StepResult run(SagaContext ctx) {
        Instance i = ctx.instance();
        SelectResponse answer = clients.scheduler(config.callTimeout()).selectAndClaim(SelectRequest.newBuilder()
                .setConsumerId(i.id())
                .setProjectId(i.projectId())
                .setResources(Resources.newBuilder().setVcpus(i.flavor().vcpus()).setRamMb(i.flavor().ramMb())
                        .setDiskGb(i.flavor().diskGb()))
                .addAllExcludedHosts(ctx.excludedHosts())
                .build());
        if (answer.hasUnschedulable()) {
            String why = readable(answer.getUnschedulable());
            SagaData data = ctx.data();
            if (data.hostsTried > 0) {
                return StepResult.compensate("spawning failed on " + data.hostsTried + " host(s) (last: "
                        + data.spawnFailure + ") and no other host fits: " + why, Fault.SPAWN_FAILED);
            }
            return StepResult.compensate(why, Fault.NO_VALID_HOST);
        }
        Claim claim = answer.getClaim();
        ctx.data().claim = new SagaData.ClaimRef(claim.getHostId(), claim.getHostName(), claim.getComputeEndpoint());
        return StepResult.next(next, "claimed " + claim.getHostName() + " (" + claim.getHostId() + ")",
                (c, instance) -> writer.apply(c, instance, InstanceChange.of(instance)
                        .host(claim.getHostId(), claim.getHostName(), claim.getComputeEndpoint())));
    }

    /** The scheduler's summary, followed by which filters rejected how many hosts and why. */
    static String readable(Unschedulable u) {
        String summary = u.getMessage().isBlank() ? "no host fits" : u.getMessage();
        if (u.getRejectionsCount() == 0) {
            return summary;
        }
        String filters = u.getRejectionsList().stream()
                .map(ClaimStep::rejection)
                .collect(Collectors.joining("; "));
        return summary + " (" + u.getHostsConsidered() + " hosts considered; " + filters + ")";
    }

    private static String rejection(FilterRejection r) {
        return r.getFilter() + " rejected " + r.getHostsRejected() + (r.getReason().isBlank() ? "" : ": "
                + r.getReason());
    }
}
