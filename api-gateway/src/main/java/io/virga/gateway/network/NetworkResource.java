package io.virga.gateway.network;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeleteSubnetRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.network.NetworkViews.NetworkView;
import io.virga.gateway.network.NetworkViews.SubnetView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Virtual networks and subnets, passed through to network-svc in the caller's project. */
@Path("/v1/networks")
@Tag(name = "networks", description = "Virtual networks and subnets")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkResource {
    static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    static final Pattern CIDR = Pattern.compile(IPV4.pattern() + "/(3[0-2]|[12]?\\d)");

    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public NetworkResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    /**
     * {@code {"name": "web", "shared": false, "external": false}}; {@code external} (also spelled
     * {@code router:external}) marks a network for router gateways and floating IPs.
     */
    public record CreateNetwork(String name, Boolean shared,
            @com.fasterxml.jackson.annotation.JsonAlias("router:external") Boolean external) {
    }

    /**
     * {@code {"name": "web-v4", "cidr": "10.0.0.0/24", "gateway_ip": "10.0.0.1", "allocation_pools":
     * [{"start", "end"}], "dns_nameservers": ["10.0.0.2"], "host_routes": [{"destination", "nexthop"}]}};
     * only {@code cidr} is required.
     */
    public record CreateSubnet(String name, String cidr, String gatewayIp, List<NetworkViews.Pool> allocationPools,
            List<String> dnsNameservers, List<NetworkViews.Route> hostRoutes) {
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listNetworks", summary = "List the project's networks (and shared ones)")
    public Page<NetworkView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        var all = GrpcProblems.call(() -> stub().listNetworks(ListNetworksRequest.newBuilder()
                .setProjectId(project).build())).getNetworksList();
        return page.slice(all.stream().map(NetworkView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createNetwork", summary = "Create a network (shared, external: cloud admin only)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.class)))
    public Response create(CreateNetwork body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.done();
        boolean shared = Boolean.TRUE.equals(body.shared());
        if (shared && !caller.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may create shared networks");
        }
        boolean external = Boolean.TRUE.equals(body.external());
        if (external && !caller.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may create external networks");
        }
        NetworkView n = NetworkView.of(GrpcProblems.call(() -> stub().createNetwork(CreateNetworkRequest.newBuilder()
                .setProjectId(caller.projectId()).setName(body.name()).setShared(shared).setExternal(external)
                .build())));
        return Response.created(URI.create("/v1/networks/" + n.id())).entity(n).build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getNetwork", summary = "Show a network")
    public NetworkView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return NetworkView.of(GrpcProblems.call(() -> stub().getNetwork(GetNetworkRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteNetwork", summary = "Delete a network (refused while ports exist on it)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        var deleted = GrpcProblems.call(() -> stub().deleteNetwork(DeleteNetworkRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build()));
        if (deleted.getDeleted() == 0) {
            throw ApiException.notFound("network", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/subnets")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSubnet",
            summary = "Add an IPv4 subnet to a network (pools, DNS servers, host routes optional)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubnetView.class)))
    public Response createSubnet(@PathParam("id") String id, CreateSubnet body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.optionalName("name", body.name());
        if (c.required("cidr", body.cidr()) && !CIDR.matcher(body.cidr()).matches()) {
            c.fail("cidr", body.cidr().indexOf(':') >= 0
                    ? "IPv6 subnets are not supported yet; give an IPv4 CIDR such as 10.0.0.0/24"
                    : "must be an IPv4 CIDR such as 10.0.0.0/24");
        }
        if (body.gatewayIp() != null && !IPV4.matcher(body.gatewayIp()).matches()) {
            c.fail("gateway_ip", "must be an IPv4 address");
        }
        c.done();
        CreateSubnetRequest.Builder req = CreateSubnetRequest.newBuilder().setProjectId(caller.projectId())
                .setNetworkId(id).setName(body.name() == null ? "" : body.name()).setCidr(body.cidr());
        if (body.gatewayIp() != null) {
            req.setGatewayIp(body.gatewayIp());
        }
        SubnetOptionsWire.copy(body, req);
        SubnetView s = SubnetView.of(GrpcProblems.call(() -> stub().createSubnet(req.build())));
        return Response.created(URI.create("/v1/networks/" + id + "/subnets/" + s.id())).entity(s).build();
    }

    @DELETE
    @Path("{id}/subnets/{subnet}")
    @Operation(operationId = "deleteSubnet", summary = "Delete a subnet (409 while ports hold its addresses)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response deleteSubnet(@PathParam("id") String id, @PathParam("subnet") String subnet) {
        Caller caller = callers.requireWrite();
        var deleted = GrpcProblems.call(() -> stub().deleteSubnet(DeleteSubnetRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(subnet).build()));
        if (deleted.getDeleted() == 0) {
            throw ApiException.notFound("subnet", subnet);
        }
        return Response.noContent().build();
    }
}
