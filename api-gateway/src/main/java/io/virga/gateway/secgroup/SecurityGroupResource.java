package io.virga.gateway.secgroup;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.CreateSecurityGroupRequest;
import io.virga.contracts.network.v1.CreateSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.DeleteResponse;
import io.virga.contracts.network.v1.DeleteSecurityGroupRequest;
import io.virga.contracts.network.v1.DeleteSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.GetSecurityGroupRequest;
import io.virga.contracts.network.v1.ListSecurityGroupsRequest;
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
import io.virga.gateway.secgroup.SecurityGroupViews.GroupView;
import io.virga.gateway.secgroup.SecurityGroupViews.RuleView;
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
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Security groups and their rules, passed through to network-svc in the
 * caller's project. Every project has a {@code default} group (members reach
 * each other, all egress) that ports join when created without groups. Rule
 * changes reach running guests through network-svc's events.
 */
@Path("/v1/security-groups")
@Tag(name = "security-groups", description = "Security groups and rules (stateful allow lists per port)")
@Produces(MediaType.APPLICATION_JSON)
public class SecurityGroupResource {
    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public SecurityGroupResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    /** {@code {"name": "web", "description": "…"}} */
    public record CreateGroup(String name, String description) {
    }

    /**
     * {@code {"direction": "ingress", "protocol": "tcp", "port_range_min": 22, "port_range_max": 22,
     * "remote_ip_prefix": "0.0.0.0/0"}} or {@code "remote_group_id"}; protocol defaults to any.
     */
    public record CreateRule(String direction, String protocol, Integer portRangeMin, Integer portRangeMax,
            String remoteIpPrefix, String remoteGroupId) {
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listSecurityGroups", summary = "List the project's security groups with their rules")
    public Page<GroupView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        var all = GrpcProblems.call(() -> stub().listSecurityGroups(ListSecurityGroupsRequest.newBuilder()
                .setProjectId(project).build())).getSecurityGroupsList();
        return page.slice(all.stream().map(GroupView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSecurityGroup",
            summary = "Create a security group (no rules: nothing allowed until rules are added)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    public Response create(CreateGroup body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.text("description", body.description(), 255);
        c.done();
        GroupView g = GroupView.of(GrpcProblems.call(() -> stub().createSecurityGroup(CreateSecurityGroupRequest
                .newBuilder().setProjectId(caller.projectId()).setName(body.name())
                .setDescription(body.description() == null ? "" : body.description()).build())));
        return Response.created(URI.create("/v1/security-groups/" + g.id())).entity(g).build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSecurityGroup", summary = "Show a security group with its rules")
    public GroupView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return GroupView.of(GrpcProblems.call(() -> stub().getSecurityGroup(GetSecurityGroupRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteSecurityGroup",
            summary = "Delete a security group (409 while ports use it, and for the default group)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        return noContent(() -> stub().deleteSecurityGroup(DeleteSecurityGroupRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build()), "security group", id);
    }

    @POST
    @Path("{id}/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSecurityGroupRule",
            summary = "Add an allow rule; running guests apply it within a second")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RuleView.class)))
    public Response createRule(@PathParam("id") String id, CreateRule body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.required("direction", body.direction());
        c.optionalRange("port_range_min", body.portRangeMin(), 1, 65535);
        c.optionalRange("port_range_max", body.portRangeMax(), 1, 65535);
        if ((body.portRangeMin() == null) != (body.portRangeMax() == null)) {
            c.fail(body.portRangeMin() == null ? "port_range_min" : "port_range_max",
                    "give port_range_min and port_range_max together");
        }
        c.done();
        CreateSecurityGroupRuleRequest.Builder req = CreateSecurityGroupRuleRequest.newBuilder()
                .setProjectId(caller.projectId()).setSecurityGroupId(id).setDirection(body.direction())
                .setProtocol(body.protocol() == null ? "" : body.protocol())
                .setPortRangeMin(body.portRangeMin() == null ? 0 : body.portRangeMin())
                .setPortRangeMax(body.portRangeMax() == null ? 0 : body.portRangeMax())
                .setRemoteIpPrefix(body.remoteIpPrefix() == null ? "" : body.remoteIpPrefix())
                .setRemoteGroupId(body.remoteGroupId() == null ? "" : body.remoteGroupId());
        RuleView r = RuleView.of(GrpcProblems.call(() -> stub().createSecurityGroupRule(req.build())));
        return Response.created(URI.create("/v1/security-groups/" + id + "/rules/" + r.id())).entity(r).build();
    }

    @GET
    @Path("{id}/rules")
    @Operation(operationId = "listSecurityGroupRules", summary = "List a security group's rules")
    public Page<RuleView> rules(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        return new Page<>(get(id, projectId).securityGroupRules(), null);
    }

    @DELETE
    @Path("{id}/rules/{rule}")
    @Operation(operationId = "deleteSecurityGroupRule",
            summary = "Remove a rule; running guests stop allowing it within a second")
    @APIResponse(responseCode = "204", description = "No content")
    public Response deleteRule(@PathParam("id") String id, @PathParam("rule") String rule) {
        Caller caller = callers.requireWrite();
        return noContent(() -> stub().deleteSecurityGroupRule(DeleteSecurityGroupRuleRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(rule).build()), "security group rule", rule);
    }

    private static Response noContent(Supplier<DeleteResponse> call, String what, String id) {
        if (GrpcProblems.call(call::get).getDeleted() == 0) {
            throw ApiException.notFound(what, id);
        }
        return Response.noContent().build();
    }
}
