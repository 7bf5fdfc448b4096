package io.virga.gateway.instance;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.idempotency.IdempotencyScope;
import io.virga.gateway.idempotency.KeyedInTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.List;

/**
 * {@code /v1/instances}: create (202 + Location of the operation), list, show,
 * delete (202 + Location). Instances of another project do not exist for the
 * caller (404); a cloud admin may read any.
 */
@Path("/v1/instances")
@Tag(name = "instances", description = "Virtual machines and containers, built and deleted by sagas")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    private final CallerContext callers;
    private final InstanceService service;
    private final IdempotencyScope idempotency;
    private final io.virga.gateway.host.HostLiveness liveness;

    public InstanceResource(CallerContext callers, InstanceService service, IdempotencyScope idempotency,
                            io.virga.gateway.host.HostLiveness liveness) {
        this.liveness = liveness;
        this.callers = callers;
        this.service = service;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @KeyedInTransaction
    @Operation(operationId = "createInstance",
            summary = "Create an instance: 202 with the instance BUILDING and the Location of its operation")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceView.class)))
    @Extension(name = OpenApiConventions.ERRORS, value = "404")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.CreateInstance.class))})
    public Response create(JsonNode body) {
        Caller caller = callers.requireWrite();
        return accepted(service.create(caller, body, idempotency.guard()));
    }

    /**
     * {@code ?status=} (default: all but DELETED), {@code ?name=}, {@code ?tag=} (repeatable), {@code ?sort=created_at|
     * name} ({@code -} prefix: descending), {@code ?limit=&cursor=}; a cloud admin may add {@code ?project_id=}.
     * See {@link InstanceListQuery}.
     */
    @GET
    @Operation(operationId = "listInstances",
            summary = "List the project's instances (filters: status, name, tag; sort: created_at, name)")
    public Page<InstanceView> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
                                   @QueryParam("cursor") String cursor, @QueryParam("project_id") String project,
                                   @QueryParam("name") String name, @QueryParam("tag") List<String> tags,
                                   @QueryParam("sort") String sort) {
        Caller caller = callers.current();
        PageRequest page = PageRequest.of(limit, cursor);
        InstanceListQuery q = InstanceListQuery.parse(status, name, tags, sort, page.afterKey());
        String projectId = ProjectScope.resolve(caller, project);
        List<InstanceView> rows = service.list(projectId, q, page.limit() + 1).stream().map(this::view).toList();
        return page.keysetPage(rows, q::key);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getInstance",
            summary = "Show an instance: status, task, host, addresses, volumes, fault (ETag: its version)")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceView.class)),
            headers = {@Header(name = "ETag")})
    public Response get(@PathParam("id") String id) {
        Instance i = service.get(callers.current(), id);
        return Response.ok(view(i)).header("ETag", i.etag()).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(operationId = "updateInstance",
            summary = "Update name, description, metadata and tags; with If-Match, 412 when the instance changed"
            + " since it was read")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceView.class)),
            headers = {@Header(name = "ETag")})
    @Extension(name = OpenApiConventions.ERRORS, value = "412")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.UpdateInstance.class)),
            @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = JsonBodies.UpdateInstance.class))})
    public Response update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode body) {
        Instance i = service.update(callers.requireWrite(), id, body, ifMatch);
        return Response.ok(view(i)).header("ETag", i.etag()).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteInstance",
            summary = "Delete an instance: 202 with the Location of the delete operation (idempotent)")
    @APIResponse(responseCode = "202", description = "Accepted: the work goes on; Location is its operation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceView.class)))
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        return accepted(service.delete(caller, id));
    }

    private static Response accepted(InstanceService.Accepted a) {
        // a relative Location, set as a raw header so the framework does not make it absolute
        return Response.status(Response.Status.ACCEPTED).entity(InstanceView.of(a.instance()))
                .header("Location", InstanceService.location(a.operationId())).build();
    }

    private InstanceView view(Instance i) {
        return InstanceView.of(i, liveness.isDown(i.hostId()));
    }
}
