package io.virga.gateway.flavor;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.FieldError;
import io.virga.gateway.placement.TraitSpecs;
import io.virga.platform.ids.Ids;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Instance sizes: cloud admins create them, everyone reads them. */
@Path("/v1/flavors")
@Tag(name = "flavors", description = "vcpus, ram_mb, disk_gb, kind, virt_mode, extra_specs")
@Produces(MediaType.APPLICATION_JSON)
public class FlavorResource {
    public static final Set<String> KINDS = Set.of("vm", "container", "desktop");
    public static final Set<String> VIRT_MODES = Set.of("full", "para", "hybrid");

    private final CallerContext callers;
    private final FlavorRepository flavors;
    private final FlavorDeletion deletion;

    public FlavorResource(CallerContext callers, FlavorRepository flavors, FlavorDeletion deletion) {
        this.callers = callers;
        this.flavors = flavors;
        this.deletion = deletion;
    }

    /**
     * A new flavor; kind defaults to vm, virt_mode to hybrid; {@code extra_specs} (optional) holds placement
     * traits, e.g. {@code {"trait:HW_CPU_X86_AVX2": "required", "trait:CUSTOM_SLOW": "forbidden"}}.
     */
    public record CreateFlavor(String name, Integer vcpus, Long ramMb, Integer diskGb, String kind,
            String virtMode, Map<String, String> extraSpecs) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createFlavor", summary = "Create a flavor (cloud admin)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Flavor.class)))
    public Response create(CreateFlavor body) {
        callers.requireCloudAdmin();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.range("vcpus", body.vcpus(), 1, 256);
        c.range("ram_mb", body.ramMb(), 64, 4_194_304);
        c.range("disk_gb", body.diskGb(), 0, 65_536);
        c.oneOf("kind", body.kind(), KINDS);
        c.oneOf("virt_mode", body.virtMode(), VIRT_MODES);
        List<FieldError> specErrors = new ArrayList<>();
        TraitSpecs.ofExtraSpecs(body.extraSpecs(), specErrors);
        specErrors.forEach(e -> c.fail(e.field(), e.message()));
        c.done();
        Flavor f = flavors.insert(new Flavor(Ids.newId("f"), body.name(), body.vcpus(), body.ramMb(), body.diskGb(),
                body.kind() == null ? "vm" : body.kind(), body.virtMode() == null ? "hybrid" : body.virtMode(),
                body.extraSpecs()));
        return Response.created(URI.create("/v1/flavors/" + f.id())).entity(f).build();
    }

    @GET
    @Operation(operationId = "listFlavors", summary = "List flavors")
    public Page<Flavor> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        callers.current();
        PageRequest page = PageRequest.of(limit, cursor);
        return page.keysetPage(flavors.list(page.afterKey(), page.limit() + 1), Flavor::id);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getFlavor", summary = "Show a flavor (by id or name)")
    public Flavor get(@PathParam("id") String id) {
        callers.current();
        return flavors.findByIdOrName(id).orElseThrow(() -> ApiException.notFound("flavor", id));
    }

    @jakarta.ws.rs.DELETE
    @Path("{id}")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteFlavor", summary = "Delete a flavor (cloud admin; 204, 409 while instances use it)")
    public Response delete(@PathParam("id") String id) {
        callers.requireCloudAdmin();
        deletion.delete(id);
        return Response.noContent().build();
    }
}
