package io.virga.gateway.volume;

import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.storage.v1.CreateSnapshotRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.GetSnapshotRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListSnapshotsRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.ResetVolumeStateRequest;
import io.virga.contracts.storage.v1.RevertVolumeRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.InstanceService;
import io.virga.gateway.volume.VolumeViews.SnapshotView;
import io.virga.gateway.volume.VolumeViews.VolumeView;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Block storage volumes and their snapshots (storage-svc), in the caller's
 * project. Building, extending, reverting and snapshotting are asynchronous:
 * 202 with the volume in its transient status; poll {@code GET} for the end
 * state (docs/storage.md has the state table).
 */
@Path("/v1/volumes")
@Tag(name = "volumes", description = "Block storage")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeResource {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "size_gb", "volume_type", "image_id",
            "snapshot_id", "source_volume_id", "multiattach");

    private final CallerContext callers;
    private final StorageServiceBlockingStub storage;
    private final GatewayConfig config;
    private final VolumeOperations operations;

    public VolumeResource(CallerContext callers, @GrpcClient("storage") StorageServiceBlockingStub storage,
            GatewayConfig config, VolumeOperations operations) {
        this.callers = callers;
        this.storage = storage;
        this.config = config;
        this.operations = operations;
    }

    private StorageServiceBlockingStub stub() {
        return storage.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listVolumes", summary = "List the project's volumes, optionally of one owner (instance)")
    public Page<VolumeView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("owner_id") String ownerId, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        ListVolumesRequest.Builder req = ListVolumesRequest.newBuilder().setProjectId(project);
        if (ownerId != null) {
            req.setOwnerId(ownerId);
        }
        var all = GrpcProblems.call(() -> stub().listVolumes(req.build())).getVolumesList();
        return page.slice(all.stream().map(VolumeView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getVolume", summary = "Show a volume")
    public VolumeView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return VolumeView.of(GrpcProblems.call(() -> stub().getVolume(GetVolumeRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createVolume",
            summary = "Create a volume: blank, from an image (copy-on-write), from a snapshot, or a clone of a "
            + "volume: {name, size_gb, volume_type?, image_id? | snapshot_id? | source_volume_id?, multiattach?}; "
            + "202, CREATING until AVAILABLE (or ERROR)")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VolumeView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.CreateVolume.class))})
    public Response create(JsonNode raw) {
        Caller caller = callers.requireWrite();
        JsonNode body = VolumeBodies.object(raw);
        VolumeBodies.only(body, CREATE_FIELDS);
        CreateVolumeRequest req = CreateVolumeRequest.newBuilder().setProjectId(caller.projectId())
                .setName(VolumeBodies.text(body, "name")).setSizeGb(VolumeBodies.size(body, "size_gb"))
                .setVolumeType(VolumeBodies.text(body, "volume_type")).setImageId(VolumeBodies.text(body, "image_id"))
                .setSnapshotId(VolumeBodies.text(body, "snapshot_id"))
                .setSourceVolumeId(VolumeBodies.text(body, "source_volume_id"))
                .setMultiattach(VolumeBodies.flag(body, "multiattach"))
                .setRequestId(UUID.randomUUID().toString()).build();
        Volume v = GrpcProblems.call(() -> stub().createVolume(req));
        return Response.status(Response.Status.ACCEPTED).entity(VolumeView.of(v))
                .header("Location", "/v1/volumes/" + v.getId()).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteVolume", summary = "Delete a volume (409 while attached, busy or with snapshots)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        int deleted = GrpcProblems.call(() -> stub().deleteVolume(DeleteVolumeRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build())).getDeleted();
        if (deleted == 0) {
            throw ApiException.notFound("volume", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "actOnVolume",
            summary = "{\"action\": \"extend\", \"new_size\": GiB} (also while attached: the guest sees the new "
            + "size) or {\"action\": \"revert\"} (to the latest snapshot; the volume must be detached); 202; "
            + "cloud admin: {\"action\": \"reset-state\", \"status\": \"available\" | \"error\"} (?project_id= of "
            + "another project) for a volume stuck after a failure; 200")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VolumeView.class)))
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VolumeView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.VolumeAction.class))})
    public Response act(@PathParam("id") String id, @QueryParam("project_id") String projectId, JsonNode raw) {
        Caller caller = callers.requireWrite();
        JsonNode body = VolumeBodies.object(raw);
        String action = VolumeBodies.text(body, "action");
        switch (action) {
            case "reset-state" -> {
                callers.requireCloudAdmin();
                VolumeBodies.only(body, Set.of("action", "status"));
                String status = VolumeBodies.text(body, "status");
                if (!Set.of("available", "error").contains(status)) {
                    throw ApiException.badRequest("status", "must be available or error");
                }
                String project = ProjectScope.resolve(caller, projectId);
                Volume v = GrpcProblems.call(() -> stub().resetVolumeState(ResetVolumeStateRequest.newBuilder()
                        .setProjectId(project).setId(id).setStatus(status).build()));
                return Response.ok(VolumeView.of(v)).build();
            }
            case "extend" -> {
                VolumeBodies.only(body, Set.of("action", "new_size"));
                int size = VolumeBodies.size(body, "new_size");
                VolumeOperations.Started s = operations.extend(caller, id, size);
                Response.ResponseBuilder r = Response.status(Response.Status.ACCEPTED).entity(VolumeView.of(s.volume()));
                return (s.operationId() == null ? r : r.header("Location", InstanceService.location(s.operationId())))
                        .build();
            }
            case "revert" -> {
                VolumeBodies.only(body, Set.of("action"));
                Volume v = GrpcProblems.call(() -> stub().revertVolume(RevertVolumeRequest.newBuilder()
                        .setProjectId(caller.projectId()).setId(id).build()));
                return Response.status(Response.Status.ACCEPTED).entity(VolumeView.of(v)).build();
            }
            default -> throw ApiException.badRequest("action", "must be extend, revert or reset-state");
        }
    }

    @POST
    @Path("{id}/snapshots")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createVolumeSnapshot",
            summary = "Snapshot a detached volume: {name?}; 202, CREATING until AVAILABLE")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SnapshotView.class)))
    @RequestBody(required = false, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.CreateSnapshot.class))})
    public Response snapshot(@PathParam("id") String id, JsonNode raw) {
        Caller caller = callers.requireWrite();
        JsonNode body = raw == null || raw.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : VolumeBodies.object(raw);
        VolumeBodies.only(body, Set.of("name"));
        var s = GrpcProblems.call(() -> stub().createSnapshot(CreateSnapshotRequest.newBuilder()
                .setProjectId(caller.projectId()).setVolumeId(id).setName(VolumeBodies.text(body, "name")).build()));
        return Response.status(Response.Status.ACCEPTED).entity(SnapshotView.of(s))
                .header("Location", "/v1/volumes/" + id + "/snapshots/" + s.getId()).build();
    }

    @GET
    @Path("{id}/snapshots")
    @Operation(operationId = "listVolumeSnapshots", summary = "The volume's snapshots, oldest first")
    public java.util.List<SnapshotView> snapshots(@PathParam("id") String id) {
        String project = callers.current().projectId();
        return GrpcProblems.call(() -> stub().listSnapshots(ListSnapshotsRequest.newBuilder().setProjectId(project)
                .setVolumeId(id).build())).getSnapshotsList().stream().map(SnapshotView::of).toList();
    }

    @GET
    @Path("{id}/snapshots/{snapshot}")
    @Operation(operationId = "getVolumeSnapshot", summary = "Show a snapshot")
    public SnapshotView snapshot(@PathParam("id") String id, @PathParam("snapshot") String snapshot) {
        String project = callers.current().projectId();
        var s = GrpcProblems.call(() -> stub().getSnapshot(GetSnapshotRequest.newBuilder().setProjectId(project)
                .setId(snapshot).build()));
        if (!s.getVolumeId().equals(id)) {
            throw ApiException.notFound("snapshot", snapshot);
        }
        return SnapshotView.of(s);
    }

    @DELETE
    @Path("{id}/snapshots/{snapshot}")
    @Operation(operationId = "deleteVolumeSnapshot",
            summary = "Delete a snapshot (its data merges into the next one; 409 while the volume is attached)")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation")
    public Response deleteSnapshot(@PathParam("id") String id, @PathParam("snapshot") String snapshot) {
        Caller caller = callers.requireWrite();
        snapshot(id, snapshot);
        GrpcProblems.call(() -> stub().deleteSnapshot(GetSnapshotRequest.newBuilder().setProjectId(caller.projectId())
                .setId(snapshot).build()));
        return Response.accepted().build();
    }
}
