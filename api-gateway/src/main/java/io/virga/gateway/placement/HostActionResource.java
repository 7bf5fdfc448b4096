package io.virga.gateway.placement;

import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.contracts.scheduler.v1.HostActionRequest;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.host.HostResource;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/hosts/{id}/actions} (cloud admin): {@code {"action": "enable"}},
 * {@code {"action": "disable", "reason": "…"}} or {@code {"action": "maintenance", "reason": "…"}}.
 * Answers the host as it is afterwards. Disabled and maintenance hosts get no new
 * instances; instances already there stay.
 */
@Path("/v1/hosts/{id}/actions")
@Tag(name = "hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostActionResource {
    private static final Set<String> ACTIONS = Set.of("enable", "disable", "maintenance");

    private final CallerContext callers;
    private final SchedulerStub scheduler;

    public HostActionResource(CallerContext callers, SchedulerStub scheduler) {
        this.callers = callers;
        this.scheduler = scheduler;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "actOnHost", summary = "Enable, disable or put a host in maintenance (cloud admin)")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.HostAction.class))})
    public HostResource.HostView act(@PathParam("id") String id, JsonNode body) {
        callers.requireCloudAdmin();
        Bodies.object(body, Set.of("action", "reason"));
        String action = Bodies.text(body, "action", true);
        if (!ACTIONS.contains(action)) {
            throw ApiException.badRequest("action", "must be enable, disable or maintenance");
        }
        String reason = Bodies.text(body, "reason", false);
        if (!"enable".equals(action) && reason == null) {
            throw ApiException.badRequest("reason", "is required to " + action + " a host");
        }
        return HostResource.HostView.of(GrpcProblems.call(() -> scheduler.get().hostAction(HostActionRequest
                .newBuilder().setId(id).setAction(action).setReason(reason == null ? "" : reason).build())));
    }
}
