package io.virga.gateway.placement;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.virga.contracts.scheduler.v1.Aggregate;
import io.virga.contracts.scheduler.v1.AggregateHostRequest;
import io.virga.contracts.scheduler.v1.GetAggregateRequest;
import io.virga.contracts.scheduler.v1.ListAggregatesRequest;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * Host aggregates (cloud admin): {@code {name, availability_zone?, metadata?}}
 * and their hosts. An aggregate with a zone puts its hosts in that zone; a
 * host already in another zone is refused (409, nothing changed). Metadata
 * {@code filter_project_ids} / {@code filter_flavor_ids} (comma-separated)
 * reserve the hosts for those projects / flavors.
 */
@Path("/v1/aggregates")
@Tag(name = "aggregates", description = "Host aggregates and availability zones (cloud admin)")
@Produces(MediaType.APPLICATION_JSON)
public class AggregateResource {
    private static final Set<String> FIELDS = Set.of("name", "availability_zone", "metadata");

    private final CallerContext callers;
    private final SchedulerStub scheduler;

    public AggregateResource(CallerContext callers, SchedulerStub scheduler) {
        this.callers = callers;
        this.scheduler = scheduler;
    }

    public record AggregateView(String id, String name, String availabilityZone, Map<String, String> metadata,
                                List<String> hosts, String createdAt) {
        static AggregateView of(Aggregate a) {
            return new AggregateView(a.getId(), a.getName(), a.getAvailabilityZone().isEmpty() ? null
                    : a.getAvailabilityZone(), Map.copyOf(a.getMetadataMap()), List.copyOf(a.getHostsList()),
                    a.getCreatedAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAggregate", summary = "Create an aggregate (cloud admin)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AggregateView.class)))
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.Aggregate.class))})
    public Response create(JsonNode body) {
        callers.requireCloudAdmin();
        Aggregate a = GrpcProblems.call(() -> scheduler.get().createAggregate(parse(body, "")));
        return Response.created(URI.create("/v1/aggregates/" + a.getId())).entity(AggregateView.of(a)).build();
    }

    @GET
    @Operation(operationId = "listAggregates", summary = "List aggregates (cloud admin)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public Map<String, List<AggregateView>> list() {
        callers.requireCloudAdmin();
        return Map.of("items", GrpcProblems.call(() -> scheduler.get().listAggregates(
                ListAggregatesRequest.getDefaultInstance())).getAggregatesList().stream().map(AggregateView::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getAggregate", summary = "Show an aggregate (cloud admin)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public AggregateView get(@PathParam("id") String id) {
        callers.requireCloudAdmin();
        return AggregateView.of(GrpcProblems.call(() -> scheduler.get().getAggregate(
                GetAggregateRequest.newBuilder().setId(id).build())));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateAggregate",
            summary = "Replace an aggregate's name, zone and metadata (cloud admin)")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.Aggregate.class))})
    public AggregateView update(@PathParam("id") String id, JsonNode body) {
        callers.requireCloudAdmin();
        return AggregateView.of(GrpcProblems.call(() -> scheduler.get().updateAggregate(parse(body, id))));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteAggregate", summary = "Delete an aggregate (cloud admin)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        callers.requireCloudAdmin();
        boolean deleted = GrpcProblems.call(() -> scheduler.get().deleteAggregate(
                GetAggregateRequest.newBuilder().setId(id).build())).getDeleted();
        if (!deleted) {
            throw ApiException.notFound("aggregate", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/hosts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addAggregateHost", summary = "Add a host to an aggregate (cloud admin)")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.AddAggregateHost.class))})
    public AggregateView addHost(@PathParam("id") String id, JsonNode body) {
        callers.requireCloudAdmin();
        Bodies.object(body, Set.of("host_id"));
        String host = Bodies.text(body, "host_id", true);
        return AggregateView.of(GrpcProblems.call(() -> scheduler.get().addAggregateHost(
                AggregateHostRequest.newBuilder().setAggregateId(id).setHostId(host).build())));
    }

    @DELETE
    @Path("{id}/hosts/{hostId}")
    @Operation(operationId = "removeAggregateHost", summary = "Remove a host from an aggregate (cloud admin)")
    public AggregateView removeHost(@PathParam("id") String id, @PathParam("hostId") String hostId) {
        callers.requireCloudAdmin();
        return AggregateView.of(GrpcProblems.call(() -> scheduler.get().removeAggregateHost(
                AggregateHostRequest.newBuilder().setAggregateId(id).setHostId(hostId).build())));
    }

    private static Aggregate parse(JsonNode body, String id) {
        Bodies.object(body, FIELDS);
        String az = Bodies.text(body, "availability_zone", false);
        return Aggregate.newBuilder().setId(id).setName(Bodies.text(body, "name", true))
                .setAvailabilityZone(az == null ? "" : az).putAllMetadata(Bodies.metadata(body, "metadata")).build();
    }
}
