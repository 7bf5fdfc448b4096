package io.virga.gateway.network;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.gateway.api.Checks;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.network.NetworkViews.PortView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Ports (MAC + IP on a network), read through network-svc in the caller's project. */
@Path("/v1/ports")
@Tag(name = "ports", description = "Ports: a MAC and an IP on a network")
@Produces(MediaType.APPLICATION_JSON)
public class PortResource {
    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public PortResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listPorts", summary = "List ports, optionally of one network or device")
    public Page<PortView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("network_id") String networkId, @QueryParam("device_id") String deviceId,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        ListPortsRequest.Builder req = ListPortsRequest.newBuilder().setProjectId(project);
        if (networkId != null) {
            req.setNetworkId(networkId);
        }
        if (deviceId != null) {
            req.setDeviceId(deviceId);
        }
        var all = GrpcProblems.call(() -> stub().listPorts(req.build())).getPortsList();
        return page.slice(all.stream().map(PortView::of).toList());
    }

    /** {@code {"network": id, "fixed_ip": "10.0.0.5", "subnet": id, "security_groups": [id]}}; network required. */
    public record CreatePort(String network, String fixedIp, String subnet, java.util.List<String> securityGroups) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createPort", summary = "Create a port (to pass to an instance create as networks[].port)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PortView.class)))
    @Extension(name = OpenApiConventions.ERRORS, value = "404")
    public Response create(CreatePort body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.required("network", body.network());
        if (body.fixedIp() != null && !NetworkResource.IPV4.matcher(body.fixedIp()).matches()) {
            c.fail("fixed_ip", "must be an IPv4 address such as 10.0.0.5");
        }
        c.done();
        CreatePortRequest.Builder req = CreatePortRequest.newBuilder().setProjectId(caller.projectId())
                .setNetworkId(body.network()).setRequestId("rest:" + UUID.randomUUID())
                .setFixedIp(body.fixedIp() == null ? "" : body.fixedIp())
                .setSubnetId(body.subnet() == null ? "" : body.subnet());
        if (body.securityGroups() != null) {
            req.addAllSecurityGroupIds(body.securityGroups());
        }
        PortView p = PortView.of(GrpcProblems.call(() -> stub().createPort(req.build())));
        return Response.created(URI.create("/v1/ports/" + p.id())).entity(p).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deletePort", summary = "Delete a port (409 while an instance uses it)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        PortView p = PortView.of(GrpcProblems.call(() -> stub().getPort(GetPortRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build())));
        if (p.deviceId() != null) {
            throw ApiException.conflict("port " + id + " is in use by " + p.deviceId()
                    + "; delete the instance first");
        }
        GrpcProblems.call(() -> stub().deletePort(DeletePortRequest.newBuilder().setProjectId(caller.projectId())
                .setId(id).build()));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getPort", summary = "Show a port")
    public PortView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return PortView.of(GrpcProblems.call(() -> stub().getPort(GetPortRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }
}
