package io.virga.gateway.network;

import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.GetPortRequest;
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
    @Operation(summary = "List ports, optionally of one network or device")
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

    @GET
    @Path("{id}")
    @Operation(summary = "Show a port")
    public PortView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return PortView.of(GrpcProblems.call(() -> stub().getPort(GetPortRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }
}
