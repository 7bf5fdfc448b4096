package io.virga.gateway.image;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Guest images in storage-svc: register, upload data (streamed), read, delete. */
@Path("/v1/images")
@Tag(name = "images", description = "Guest images (disk images or OCI root filesystems)")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    public static final Set<String> DISK_FORMATS = Set.of("qcow2", "raw", "oci");
    public static final Set<String> VISIBILITIES = Set.of("private", "public");

    private final CallerContext callers;
    private final StorageServiceBlockingStub storage;
    private final ImageUploader uploader;
    private final GatewayConfig config;

    public ImageResource(CallerContext callers, @GrpcClient("storage") StorageServiceBlockingStub storage,
            ImageUploader uploader, GatewayConfig config) {
        this.callers = callers;
        this.storage = storage;
        this.uploader = uploader;
        this.config = config;
    }

    /**
     * {@code {"name": "debian-12", "disk_format": "qcow2", "min_disk_gb": 2, "visibility": "private",
     * "properties": {"virt_mode": "para", "kernel_id": "img-…"}}}; storage-svc validates the properties, the
     * gateway the placement traits among them ({@code trait:<name>}, {@code traits_required},
     * {@code traits_forbidden}: {@link io.virga.gateway.placement.TraitSpecs}).
     */
    public record CreateImage(String name, String diskFormat, Integer minDiskGb, String visibility,
            java.util.Map<String, String> properties) {
    }

    private StorageServiceBlockingStub stub() {
        return storage.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    @GET
    @Operation(operationId = "listImages", summary = "List the project's images and public images")
    public Page<ImageView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        var all = GrpcProblems.call(() -> stub().listImages(ListImagesRequest.newBuilder().setProjectId(project)
                .build())).getImagesList();
        return page.slice(all.stream().map(ImageView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createImage",
            summary = "Register an image (status QUEUED until its data is uploaded; public: cloud admin)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImageView.class)))
    public Response create(CreateImage body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        if (c.required("disk_format", body.diskFormat())) {
            c.oneOf("disk_format", body.diskFormat(), DISK_FORMATS);
        }
        c.optionalRange("min_disk_gb", body.minDiskGb(), 0, 65_536);
        c.oneOf("visibility", body.visibility(), VISIBILITIES);
        java.util.List<io.virga.gateway.error.FieldError> traitErrors = new java.util.ArrayList<>();
        io.virga.gateway.placement.TraitSpecs.ofImageProperties(body.properties(), "properties", traitErrors);
        traitErrors.forEach(e -> c.fail(e.field(), e.message()));
        c.done();
        String visibility = body.visibility() == null ? "private" : body.visibility();
        if (visibility.equals("public") && !caller.cloudAdmin()) {
            throw ApiException.forbidden("only cloud administrators may create public images");
        }
        ImageView image = ImageView.of(GrpcProblems.call(() -> stub().createImage(CreateImageRequest.newBuilder()
                .setProjectId(caller.projectId()).setName(body.name()).setDiskFormat(body.diskFormat())
                .setMinDiskGb(body.minDiskGb() == null ? 0 : body.minDiskGb()).setVisibility(visibility)
                .putAllProperties(body.properties() == null ? java.util.Map.of() : body.properties()).build())));
        return Response.created(URI.create("/v1/images/" + image.id())).entity(image).build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getImage", summary = "Show an image")
    public ImageView get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return ImageView.of(GrpcProblems.call(() -> stub().getImage(GetImageRequest.newBuilder()
                .setProjectId(project).setId(id).build())));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteImage", summary = "Delete an image (refused while volumes are made from it)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        var deleted = GrpcProblems.call(() -> stub().deleteImage(DeleteImageRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build()));
        if (deleted.getDeleted() == 0) {
            throw ApiException.notFound("image", id);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/data")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "uploadImageData",
            summary = "Upload an image's data (application/octet-stream, streamed to storage)")
    @Extension(name = OpenApiConventions.ERRORS, value = "413")
    public ImageView upload(@PathParam("id") String id, InputStream body) {
        Caller caller = callers.requireWrite();
        return ImageView.of(uploader.upload(caller.projectId(), id, body));
    }
}
