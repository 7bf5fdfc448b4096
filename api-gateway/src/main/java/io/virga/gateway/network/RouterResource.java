package io.virga.gateway.network;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.CreateRouterRequest;
import io.virga.contracts.network.v1.DeleteRouterRequest;
import io.virga.contracts.network.v1.GetRouterRequest;
import io.virga.contracts.network.v1.ListRoutersRequest;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.RouterInterfaceRequest;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.network.NetworkViews.RouterView;
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
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Routers: a gateway on an external network (SNAT) and the subnets they join.
 * Passed through to network-svc in the caller's project.
 */
@Path("/v1/routers")
@Tag(name = "routers", description = "Routers joining subnets to an external network")
@Produces(MediaType.APPLICATION_JSON)
public class RouterResource {
    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public RouterResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    /** {@code {"name": "edge", "external_network_id": "n-…"}} */
    public record CreateRouter(String name, String externalNetworkId) {
    }

    /** {@code {"subnet_id": "s-…"}} */
    public record AddInterface(String subnetId) {
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listRouters", summary = "List the project's routers")
    public Page<RouterView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        var all = GrpcProblems.call(() -> stub().listRouters(ListRoutersRequest.newBuilder().setProjectId(project)
                .build())).getRoutersList();
        return page.slice(all.stream().map(RouterView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createRouter", summary = "Create a router with a gateway on an external network")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RouterView.class)))
    @Extension(name = OpenApiConventions.ERRORS, value = "404")
    public Response create(CreateRouter body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.required("external_network_id", body.externalNetworkId());
        c.done();
        RouterView r = RouterView.of(GrpcProblems.call(() -> stub().createRouter(CreateRouterRequest.newBuilder()
                .setProjectId(caller.projectId()).setName(body.name()).setExternalNetworkId(body.externalNetworkId())
                .build())));
        return Response.created(URI.create("/v1/routers/" + r.id())).entity(r).build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getRouter", summary = "Show a router")
    public RouterView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return RouterView.of(GrpcProblems.call(() -> stub().getRouter(GetRouterRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteRouter", summary = "Delete a router (409 while it joins subnets)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        var deleted = GrpcProblems.call(() -> stub().deleteRouter(DeleteRouterRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build()));
        if (deleted.getDeleted() == 0) {
            throw ApiException.notFound("router", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/interfaces")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addRouterInterface",
            summary = "Join a subnet to the router (it takes the subnet's gateway address)")
    public RouterView addInterface(@PathParam("id") String id, AddInterface body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.required("subnet_id", body.subnetId());
        c.done();
        return RouterView.of(GrpcProblems.call(() -> stub().addRouterInterface(RouterInterfaceRequest.newBuilder()
                .setProjectId(caller.projectId()).setRouterId(id).setSubnetId(body.subnetId()).build())));
    }

    @DELETE
    @Path("{id}/interfaces/{subnet}")
    @Operation(operationId = "removeRouterInterface",
            summary = "Remove the router's interface on a subnet (409 while floating IPs use it)")
    public RouterView removeInterface(@PathParam("id") String id, @PathParam("subnet") String subnet) {
        Caller caller = callers.requireWrite();
        return RouterView.of(GrpcProblems.call(() -> stub().removeRouterInterface(RouterInterfaceRequest
                .newBuilder().setProjectId(caller.projectId()).setRouterId(id).setSubnetId(subnet).build())));
    }
}
