package io.virga.gateway.volume;

import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Block storage volumes, read through storage-svc in the caller's project. */
@Path("/v1/volumes")
@Tag(name = "volumes", description = "Block storage")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeResource {
    private final CallerContext callers;
    private final StorageServiceBlockingStub storage;
    private final GatewayConfig config;

    public VolumeResource(CallerContext callers, @GrpcClient("storage") StorageServiceBlockingStub storage,
            GatewayConfig config) {
        this.callers = callers;
        this.storage = storage;
        this.config = config;
    }

    /** JSON shape of a volume. */
    public record VolumeView(String id, String projectId, String name, int sizeGb, String imageId, String status,
            String ownerId, boolean bootable, boolean deleteOnTermination, String createdAt) {
        static VolumeView of(Volume v) {
            return new VolumeView(v.getId(), v.getProjectId(), v.getName(), v.getSizeGb(),
                    v.getImageId().isEmpty() ? null : v.getImageId(), v.getStatus(),
                    v.getOwnerId().isEmpty() ? null : v.getOwnerId(), v.getBootable(), v.getDeleteOnTermination(),
                    v.getCreatedAt());
        }
    }

    private StorageServiceBlockingStub stub() {
        return storage.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(summary = "List the project's volumes, optionally of one owner (instance)")
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
    @Operation(summary = "Show a volume")
    public VolumeView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return VolumeView.of(GrpcProblems.call(() -> stub().getVolume(GetVolumeRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }
}
