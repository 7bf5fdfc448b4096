package io.virga.gateway.volume;

import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.instance.InstanceService;
import io.virga.gateway.volume.VolumeViews.AttachmentView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hot attach and detach of volumes ({@code volume.attach} / {@code volume.detach} workflows). */
@Path("/v1/instances/{id}/volume-attachments")
@Tag(name = "volumes", description = "Block storage")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeAttachmentResource {
    private final CallerContext callers;
    private final VolumeOperations operations;

    public VolumeAttachmentResource(CallerContext callers, VolumeOperations operations) {
        this.callers = callers;
        this.operations = operations;
    }

    @GET
    @Operation(operationId = "listVolumeAttachments", summary = "The volumes attached to the instance")
    public List<AttachmentView> list(@PathParam("id") String id) {
        Caller caller = callers.current();
        operations.instance(caller, id);
        return operations.attachedTo(caller.projectId(), id).stream()
                .map(v -> new AttachmentView(id, v.getId(), v.getStatus(), null)).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "attachVolume",
            summary = "Attach a volume to a running or stopped instance: {volume_id}; 202 with the Location of "
            + "the operation; the guest sees a new virtio disk. 404 another project's instance or volume, 409 "
            + "attached already or elsewhere (unless multiattach), busy, or the instance's state")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttachmentView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.AttachVolume.class))})
    public Response attach(@PathParam("id") String id, JsonNode raw) {
        Caller caller = callers.requireWrite();
        JsonNode body = VolumeBodies.object(raw);
        VolumeBodies.only(body, Set.of("volume_id"));
        String volumeId = VolumeBodies.text(body, "volume_id");
        if (volumeId.isEmpty()) {
            throw io.virga.gateway.error.ApiException.badRequest("volume_id", "required");
        }
        VolumeOperations.Started s = operations.attach(caller, id, volumeId);
        return Response.status(Response.Status.ACCEPTED)
                .entity(new AttachmentView(id, volumeId, "ATTACHING", s.operationId()))
                .header("Location", InstanceService.location(s.operationId())).build();
    }

    @DELETE
    @Path("{volume}")
    @Operation(operationId = "detachVolume",
            summary = "Detach a volume (hot-unplug); 202 with the Location of the operation; 409 when it is not "
            + "attached to this instance")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttachmentView.class)))
    public Response detach(@PathParam("id") String id, @PathParam("volume") String volumeId) {
        Caller caller = callers.requireWrite();
        VolumeOperations.Started s = operations.detach(caller, id, volumeId);
        return Response.status(Response.Status.ACCEPTED)
                .entity(new AttachmentView(id, volumeId, "DETACHING", s.operationId()))
                .header("Location", InstanceService.location(s.operationId())).build();
    }
}
