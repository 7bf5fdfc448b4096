package io.virga.gateway.network;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.openapi.JsonBodies;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.CreateFloatingIpRequest;
import io.virga.contracts.network.v1.DeleteFloatingIpRequest;
import io.virga.contracts.network.v1.FloatingIp;
import io.virga.contracts.network.v1.GetFloatingIpRequest;
import io.virga.contracts.network.v1.ListFloatingIpsRequest;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.UpdateFloatingIpRequest;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.GatewayConfig;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.network.NetworkViews.FloatingIpView;
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
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Floating IPs: addresses of an external network, associated with a port by
 * {@code PATCH {"port_id": id}} and disassociated by {@code {"port_id": null}}.
 * GET and PATCH answer an {@code ETag} (the floating IP's version); a PATCH
 * with {@code If-Match} is refused with 412 when it changed since.
 */
@Path("/v1/floating-ips")
@Tag(name = "floating-ips", description = "Floating IPs: 1:1 NAT from an external network to a port")
@Produces(MediaType.APPLICATION_JSON)
public class FloatingIpResource {
    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"([1-9][0-9]{0,9})\"");

    private final CallerContext callers;
    private final NetworkServiceBlockingStub network;
    private final GatewayConfig config;

    public FloatingIpResource(CallerContext callers, @GrpcClient("network") NetworkServiceBlockingStub network,
            GatewayConfig config) {
        this.callers = callers;
        this.network = network;
        this.config = config;
    }

    /** {@code {"floating_network_id": "n-…", "port_id": "p-…"}}; port_id optional. */
    public record CreateFloatingIp(String floatingNetworkId, String portId) {
    }

    private NetworkServiceBlockingStub stub() {
        return network.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }

    private static Response withEtag(Response.ResponseBuilder b, FloatingIp f) {
        return b.entity(FloatingIpView.of(f)).header("ETag", "\"" + f.getVersion() + "\"").build();
    }

    @GET
    @Operation(operationId = "listFloatingIps", summary = "List the project's floating IPs")
    public Page<FloatingIpView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        PageRequest page = PageRequest.of(limit, cursor);
        var all = GrpcProblems.call(() -> stub().listFloatingIps(ListFloatingIpsRequest.newBuilder()
                .setProjectId(project).build())).getFloatingIpsList();
        return page.slice(all.stream().map(FloatingIpView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createFloatingIp",
            summary = "Allocate a floating IP from an external network (and associate it with port_id)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FloatingIpView.class)),
            headers = {@Header(name = "ETag")})
    @Extension(name = OpenApiConventions.ERRORS, value = "404")
    public Response create(CreateFloatingIp body) {
        Caller caller = callers.requireWrite();
        Checks.body(body);
        Checks c = new Checks();
        c.required("floating_network_id", body.floatingNetworkId());
        c.done();
        FloatingIp f = GrpcProblems.call(() -> stub().createFloatingIp(CreateFloatingIpRequest.newBuilder()
                .setProjectId(caller.projectId()).setFloatingNetworkId(body.floatingNetworkId())
                .setPortId(body.portId() == null ? "" : body.portId()).build()));
        return withEtag(Response.created(URI.create("/v1/floating-ips/" + f.getId())), f);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getFloatingIp", summary = "Show a floating IP (ETag: its version)")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FloatingIpView.class)),
            headers = {@Header(name = "ETag")})
    public Response get(@PathParam("id") String id, @QueryParam("project_id") String projectId) {
        String project = ProjectScope.resolve(callers.current(), projectId);
        return withEtag(Response.ok(), GrpcProblems.call(() -> stub().getFloatingIp(GetFloatingIpRequest
                .newBuilder().setProjectId(project).setId(id).build())));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(operationId = "updateFloatingIp",
            summary = "Associate ({\"port_id\": id}) or disassociate ({\"port_id\": null}); with If-Match,"
            + " 412 when the floating IP changed since it was read")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FloatingIpView.class)),
            headers = {@Header(name = "ETag")})
    @Extension(name = OpenApiConventions.ERRORS, value = "412")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JsonBodies.UpdateFloatingIp.class)),
            @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = JsonBodies.UpdateFloatingIp.class))})
    public Response update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode body) {
        Caller caller = callers.requireWrite();
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request", "a JSON object {\"port_id\": id or null} is required");
        }
        var names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!"port_id".equals(name)) {
                throw ApiException.badRequest(name, "unknown field; only port_id can be changed");
            }
        }
        JsonNode port = body.get("port_id");
        if (port == null || !(port.isNull() || port.isTextual()) || (port.isTextual() && port.asText().isEmpty())) {
            throw ApiException.badRequest("port_id", "required: a port id, or null to disassociate");
        }
        int expected = expectedVersion(ifMatch);
        try {
            return withEtag(Response.ok(), stub().updateFloatingIp(UpdateFloatingIpRequest.newBuilder()
                    .setProjectId(caller.projectId()).setId(id).setPortId(port.isNull() ? "" : port.asText())
                    .setExpectedVersion(expected).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ABORTED) {
                throw ApiException.preconditionFailed(e.getStatus().getDescription());
            }
            throw GrpcProblems.from(e);
        }
    }

    /** The version an If-Match names: 0 for none or {@code *}; 412 for anything that is not one of our ETags. */
    private static int expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return 0;
        }
        Matcher m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw ApiException.preconditionFailed("If-Match " + ifMatch + " is not an ETag of this floating IP");
        }
        return Integer.parseInt(m.group(1));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteFloatingIp", summary = "Release a floating IP (disassociated with it)")
    @APIResponse(responseCode = "204", description = "No content")
    public Response delete(@PathParam("id") String id) {
        Caller caller = callers.requireWrite();
        var deleted = GrpcProblems.call(() -> stub().deleteFloatingIp(DeleteFloatingIpRequest.newBuilder()
                .setProjectId(caller.projectId()).setId(id).build()));
        if (deleted.getDeleted() == 0) {
            throw ApiException.notFound("floating IP", id);
        }
        return Response.noContent().build();
    }
}
