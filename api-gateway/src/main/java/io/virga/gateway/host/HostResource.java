package io.virga.gateway.host;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hosts as the scheduler sees them (cloud admin only). */
@Path("/v1/hosts")
@Tag(name = "hosts", description = "Hosts, capacity, traits (cloud admin)")
@Produces(MediaType.APPLICATION_JSON)
public class HostResource {
    private final CallerContext callers;
    private final SchedulerServiceBlockingStub scheduler;
    private final GatewayConfig config;

    public HostResource(CallerContext callers, @GrpcClient("scheduler") SchedulerServiceBlockingStub scheduler,
            GatewayConfig config) {
        this.callers = callers;
        this.scheduler = scheduler;
        this.config = config;
    }

    public record ResourcesView(int vcpus, long ramMb, long diskGb) {
        static ResourcesView of(Resources r) {
            return new ResourcesView(r.getVcpus(), r.getRamMb(), r.getDiskGb());
        }
    }

    /** One resource class row of a host (total, reserved, units, step, ratio, used). */
    public record InventoryView(String resourceClass, long total, long reserved, long minUnit, long maxUnit,
            long stepSize, double allocationRatio, long used) {
        static InventoryView of(io.virga.contracts.scheduler.v1.Inventory i) {
            return new InventoryView(i.getResourceClass(), i.getTotal(), i.getReserved(), i.getMinUnit(),
                    i.getMaxUnit(), i.getStepSize(), i.getAllocationRatio(), i.getUsed());
        }
    }

    public record HostView(String id, String name, String hypervisorType, String computeEndpoint, String status,
            boolean enabled, ResourcesView total, ResourcesView used, double cpuAllocationRatio,
            double ramAllocationRatio, List<String> traits, String lastHeartbeatAt, int instances,
            String disabledReason, boolean maintenance, String availabilityZone, List<String> aggregates,
            List<InventoryView> inventories) {
        public static HostView of(Host h) {
            return new HostView(h.getId(), h.getName(), h.getHypervisorType(), h.getComputeEndpoint(), h.getStatus(),
                    h.getEnabled(), ResourcesView.of(h.getTotal()), ResourcesView.of(h.getUsed()),
                    h.getCpuAllocationRatio(), h.getRamAllocationRatio(), List.copyOf(h.getTraitsList()),
                    h.getLastHeartbeatAt().isEmpty() ? null : h.getLastHeartbeatAt(), h.getInstances(),
                    h.getDisabledReason().isEmpty() ? null : h.getDisabledReason(), h.getMaintenance(),
                    h.getAvailabilityZone().isEmpty() ? null : h.getAvailabilityZone(),
                    List.copyOf(h.getAggregatesList()),
                    h.getInventoriesList().stream().map(InventoryView::of).toList());
        }
    }

    private SchedulerServiceBlockingStub stub() {
        return scheduler.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listHosts", summary = "List hosts (cloud admin)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public Page<HostView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        callers.requireCloudAdmin();
        PageRequest page = PageRequest.of(limit, cursor);
        String after = page.afterKey();
        // paged in the scheduler's database: one page crosses the wire, whatever the number of hosts
        var answer = GrpcProblems.call(() -> stub().listHosts(ListHostsRequest.newBuilder().setPageSize(page.limit())
                .setPageToken(after == null ? "" : after).build()));
        String next = answer.getNextPageToken().isEmpty() ? null : java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("k:" + answer.getNextPageToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Page<>(answer.getHostsList().stream().map(HostView::of).toList(), next);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getHost", summary = "Show a host (cloud admin)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public HostView get(@PathParam("id") String id) {
        callers.requireCloudAdmin();
        return HostView.of(GrpcProblems.call(() -> stub().getHost(GetHostRequest.newBuilder().setId(id).build())));
    }
}
