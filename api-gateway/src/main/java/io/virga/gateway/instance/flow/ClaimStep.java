package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.clients.ServiceClients;

import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.Unschedulable;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import java.util.stream.Collectors;

/**
 * Create step 3: the scheduler picks a host (never one in the excluded list)
 * and claims the flavor's resources on it, for consumer = instance id
 * (idempotent: a retry gets the same claim). The host is recorded on the
 * instance at once, so a delete arriving later knows where a guest may be.
 * "No host fits" ends the create: compensate with the scheduler's reasons.
 */
final class ClaimStep implements Step<Instance, CreateData> {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final String next;

    ClaimStep(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances,
              InstanceStateWriter writer, String next) {
        this.clients = clients;
        this.config = config;
        this.instances = instances;
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
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        Instance i = ctx.resource();
        SelectResponse answer = clients.scheduler(config.callTimeout()).selectAndClaim(SelectRequest.newBuilder()
                .setConsumerId(i.id())
                .setProjectId(i.projectId())
                .setResources(Resources.newBuilder().setVcpus(i.flavor().vcpus()).setRamMb(i.flavor().ramMb())
                        .setDiskGb(i.flavor().diskGb()))
                .addAllRequiredTraits(requiredTraits(i, ctx.data()))
                .addAllForbiddenTraits(ctx.data().forbiddenTraits)
                .setHypervisorType(ctx.data().hypervisorType == null ? "" : ctx.data().hypervisorType)
                .addAllExcludedHosts(ctx.data().excludedHosts)
                .setAvailabilityZone(ctx.data().availabilityZone == null ? "" : ctx.data().availabilityZone)
                .setServerGroupId(ctx.data().serverGroupId == null ? "" : ctx.data().serverGroupId)
                .setFlavorId(i.flavor().id() == null ? "" : i.flavor().id())
                .build());
        if (answer.hasUnschedulable()) {
            String why = readable(answer.getUnschedulable());
            CreateData data = ctx.data();
            if (data.hostsTried > 0) {
                return StepResult.compensate("spawning failed on " + data.hostsTried + " host(s) (last: "
                        + data.spawnFailure + ") and no other host fits: " + why, Fault.SPAWN_FAILED);
            }
            return StepResult.compensate(why, Fault.NO_VALID_HOST);
        }
        Claim claim = answer.getClaim();
        ctx.data().claim = new CreateData.ClaimRef(claim.getHostId(), claim.getHostName(), claim.getComputeEndpoint());
        return StepResult.next(next, "claimed " + claim.getHostName() + " (" + claim.getHostId() + ")",
                InstanceWork.on(instances, i.id(), (c, instance) -> writer.apply(c, instance, InstanceChange.of(instance)
                        .host(claim.getHostId(), claim.getHostName(), claim.getComputeEndpoint()))));
    }

    /** The flavor kind's traits and what validation recorded (flavor extra specs, image properties). */
    static java.util.Set<String> requiredTraits(Instance i, CreateData data) {
        java.util.Set<String> traits = new java.util.TreeSet<>(PlacementTraits.of(i.flavor()));
        traits.addAll(data.requiredTraits);
        return traits;
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
