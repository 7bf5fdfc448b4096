package io.virga.gateway.instance.action;

import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.idempotency.IdempotencyScope;
import io.virga.gateway.idempotency.KeyedInTransaction;
import io.virga.gateway.instance.InstanceService;
import io.virga.gateway.instance.InstanceView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/instances/{id}/actions}: 202 with the instance and the Location of the action's operation. */
@Path("/v1/instances/{id}/actions")
@Tag(name = "instances")
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {
    private final CallerContext callers;
    private final ActionService actions;
    private final IdempotencyScope idempotency;

    public ActionResource(CallerContext callers, ActionService actions, IdempotencyScope idempotency) {
        this.callers = callers;
        this.actions = actions;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @KeyedInTransaction
    @Operation(operationId = "actOnInstance",
            summary = "Act on an instance: {\"action\": stop | start | reboot | pause | unpause | suspend | resume"
            + " | snapshot | rebuild | resize | confirm-resize | revert-resize | migrate | live-migrate | evacuate"
            + " | lock | unlock}; 202 with the Location of its operation; 409 when the instance's status, its host's"
            + " capabilities, its lock or a running operation forbid it")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.InstanceAction.class))})
    public Response act(@PathParam("id") String id, JsonNode body) {
        InstanceService.Accepted a = actions.act(callers.requireWrite(), id, body, idempotency.guard());
        return Response.status(Response.Status.ACCEPTED).entity(InstanceView.of(a.instance()))
                .header("Location", InstanceService.location(a.operationId())).build();
    }
}
