package io.virga.gateway.placement;

import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.contracts.scheduler.v1.CreateServerGroupRequest;
import io.virga.contracts.scheduler.v1.DeleteServerGroupRequest;
import io.virga.contracts.scheduler.v1.GetServerGroupRequest;
import io.virga.contracts.scheduler.v1.ListServerGroupsRequest;
import io.virga.contracts.scheduler.v1.ServerGroup;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Server groups of the caller's project: {@code {name, policy}} with policy
 * affinity, anti-affinity, soft-affinity or soft-anti-affinity. Instances join
 * one with {@code server_group} on create; the scheduler holds the policy
 * under concurrent creates. A group with members cannot be deleted (409).
 */
@Path("/v1/server-groups")
@Tag(name = "server-groups", description = "Affinity and anti-affinity of instances")
@Produces(MediaType.APPLICATION_JSON)
public class ServerGroupResource {
    static final Set<String> POLICIES = Set.of("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity");

    private final CallerContext callers;
    private final SchedulerStub scheduler;

    public ServerGroupResource(CallerContext callers, SchedulerStub scheduler) {
        this.callers = callers;
        this.scheduler = scheduler;
    }

    public record ServerGroupView(String id, String name, String projectId, String policy, List<String> members,
                                  List<String> hosts, String createdAt) {
        static ServerGroupView of(ServerGroup g) {
            return new ServerGroupView(g.getId(), g.getName(), g.getProjectId(), g.getPolicy(),
                    List.copyOf(g.getMembersList()), List.copyOf(g.getHostsList()), g.getCreatedAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createServerGroup", summary = "Create a server group")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServerGroupView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.CreateServerGroup.class))})
    public Response create(JsonNode body) {
        Caller caller = callers.requireWrite();
        Bodies.object(body, Set.of("name", "policy"));
        String name = Bodies.text(body, "name", true);
        String policy = Bodies.text(body, "policy", true);
        if (!POLICIES.contains(policy)) {
            throw ApiException.badRequest("policy", "must be affinity, anti-affinity, soft-affinity or soft-anti-affinity");
        }
        ServerGroup g = GrpcProblems.call(() -> scheduler.get().createServerGroup(CreateServerGroupRequest.newBuilder()
                .setName(name).setPolicy(policy).setProjectId(caller.projectId()).build()));
        return Response.created(URI.create("/v1/server-groups/" + g.getId())).entity(ServerGroupView.of(g)).build();
    }

    @GET
    @Operation(operationId = "listServerGroups", summary = "List the project's server groups")
    public Map<String, List<ServerGroupView>> list() {
        Caller caller = callers.current();
        var groups = GrpcProblems.call(() -> scheduler.get().listServerGroups(ListServerGroupsRequest.newBuilder()
                .setProjectId(caller.projectId()).build())).getServerGroupsList();
        return Map.of("items", groups.stream().map(ServerGroupView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getServerGroup", summary = "Show a server group")
    public ServerGroupView get(@PathParam("id") String id) {
        return ServerGroupView.of(visible(callers.current(), id));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteServerGroup", summary = "Delete a server group without members")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        visible(caller, id);
        GrpcProblems.call(() -> scheduler.get().deleteServerGroup(DeleteServerGroupRequest.newBuilder().setId(id)
                .build()));
        return Response.noContent().build();
    }

    /** The group if the caller may see it; 404 otherwise (also for other projects' groups). */
    ServerGroup visible(Caller caller, String id) {
        ServerGroup g = GrpcProblems.call(() -> scheduler.get().getServerGroup(GetServerGroupRequest.newBuilder()
                .setId(id).build()));
        if (!caller.canSee(g.getProjectId())) {
            throw ApiException.notFound("server group", id);
        }
        return g;
    }
}
