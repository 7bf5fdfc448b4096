package io.virga.gateway.network;

import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.GetNetworkQuotasRequest;
import io.virga.contracts.network.v1.NetworkQuotas;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.SetNetworkQuotaRequest;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Quotas of network resources (networks, subnets, ports, security groups and
 * rules), enforced race-free by network-svc: read by the project, set by a
 * cloud admin. -1 is unlimited.
 */
@Path("/v1/network-quotas")
@Tag(name = "networks", description = "Virtual networks and subnets")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkQuotaResource {
    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public NetworkQuotaResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    /** {@code {"limit": 20}} */
    public record SetLimit(Integer limit) {
    }

    /** One resource's limit and usage. */
    public record QuotaView(String resource, int limit, long used) {
    }

    /** The project's network quotas. */
    public record QuotasView(String projectId, List<QuotaView> quotas) {
        static QuotasView of(String projectId, NetworkQuotas q) {
            return new QuotasView(projectId, q.getQuotasList().stream()
                    .map(x -> new QuotaView(x.getResource(), x.getLimit(), x.getUsed())).toList());
        }
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "getNetworkQuotas",
            summary = "Network quotas of the project: limit and usage per resource")
    public QuotasView get(@QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return QuotasView.of(project, GrpcProblems.call(() -> stub().getNetworkQuotas(GetNetworkQuotasRequest
                .newBuilder().setProjectId(project).build())));
    }

    @PUT
    @Path("{resource}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setNetworkQuota", summary = "Set a network quota of a project (cloud admin)")
    public QuotasView set(@PathParam("resource") String resource, @QueryParam("project_id") String projectId,
            SetLimit body) {
        callers.requireCloudAdmin();
        Checks.body(body);
        Checks c = new Checks();
        c.required("project_id", projectId);
        c.range("limit", body.limit(), -1, 1_000_000);
        c.done();
        return QuotasView.of(projectId, GrpcProblems.call(() -> stub().setNetworkQuota(SetNetworkQuotaRequest
                .newBuilder().setProjectId(projectId).setResource(resource).setLimit(body.limit()).build())));
    }
}
