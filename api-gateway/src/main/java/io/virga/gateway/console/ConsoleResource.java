package io.virga.gateway.console;

import io.virga.gateway.api.Checks;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceService;
import io.virga.gateway.instance.InstanceStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An instance's consoles. {@code POST /v1/instances/{id}/console} with {@code {"type": "serial"}} answers
 * where to read the serial console ({@code GET /v1/instances/{id}/console-log}: the tail of the guest's
 * ttyS0, or a container's output, as Nova's console output). With {@code {"type": "vnc"}} it issues a
 * single-use ticket ({@link ConsoleTickets}, valid {@code virga.gateway.console.ticket-ttl}, 60 s by default)
 * and answers the dashboard page that shows the screen and the WebSocket that carries it ({@link VncSocket}).
 * A graphical console needs an ACTIVE or PAUSED instance on a host whose driver shows a screen (QEMU);
 * otherwise 409, saying which.
 */
@Path("/v1/instances/{id}")
@Tag(name = "instances")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {
    static final Set<String> TYPES = Set.of("serial", "vnc");
    static final int DEFAULT_BYTES = 64 * 1024;
    static final int MAX_BYTES = 1024 * 1024;

    private final CallerContext callers;
    private final InstanceService instances;
    private final ComputeClients compute;
    private final ConsoleTickets tickets;

    public ConsoleResource(CallerContext callers, InstanceService instances, ComputeClients compute,
                           ConsoleTickets tickets) {
        this.callers = callers;
        this.instances = instances;
        this.compute = compute;
        this.tickets = tickets;
    }

    /** {@code {"type": "serial"}}. */
    public record ConsoleRequest(String type) {
    }

    /**
     * Where the console is. {@code url}: serial, the console-log resource; vnc, the dashboard page showing
     * the screen (the ticket travels in its fragment). vnc only: {@code websocket}, the path of the
     * WebSocket carrying RFB, and {@code expires_at}, when the unused ticket lapses.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsoleView(String type, String url, String websocket, Instant expiresAt) {
    }

    @POST
    @Path("console")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createConsole",
            summary = "Get a console of the instance: serial (its console log) or vnc (a single-use screen URL)")
    @APIResponse(responseCode = "200", description = "where the console is",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsoleView.class)))
    @APIResponse(responseCode = "400", description = "type missing or not serial / vnc")
    @APIResponse(responseCode = "404", description = "no such instance in the caller's project")
    @APIResponse(responseCode = "409", description = "the instance is not running, or (vnc) its driver shows no screen")
    @APIResponse(responseCode = "503", description = "the instance's compute node cannot be reached, or too many tickets")
    public ConsoleView console(@PathParam("id") String id, ConsoleRequest body) {
        Caller caller = callers.current();
        Checks.body(body);
        Checks c = new Checks();
        if (c.required("type", body.type())) {
            c.oneOf("type", body.type(), TYPES);
        }
        c.done();
        Instance instance = running(caller, id);
        if ("vnc".equals(body.type())) {
            return graphical(instance);
        }
        return new ConsoleView("serial", "/v1/instances/" + id + "/console-log", null, null);
    }

    private ConsoleView graphical(Instance instance) {
        String id = instance.id();
        if (instance.status() != InstanceStatus.ACTIVE && instance.status() != InstanceStatus.PAUSED) {
            throw ApiException.conflict("instance " + id + " is " + instance.status()
                    + "; a graphical console needs it ACTIVE or PAUSED");
        }
        boolean hasScreen;
        try {
            hasScreen = compute.consoles(instance.hostEndpoint(), id).getConsolesList().stream()
                    .anyMatch(e -> e.getType() == io.virga.contracts.compute.v1.ConsoleEndpoint.Type.VNC);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() != io.grpc.Status.Code.UNIMPLEMENTED) {
                throw GrpcProblems.from(e);
            }
            hasScreen = false;
        }
        if (!hasScreen) {
            throw ApiException.conflict("instance " + id + " has no graphical console: its host's driver shows no "
                    + "screen (containers and simulated guests have none); use type serial");
        }
        ConsoleTickets.Issued t;
        try {
            t = tickets.issue(id, instance.projectId(), instance.hostEndpoint());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable(e.getMessage() + "; retry in " + tickets.ttl().toSeconds() + " s");
        }
        String ticket = URLEncoder.encode(t.token(), StandardCharsets.UTF_8);
        return new ConsoleView("vnc", "/dashboard/console.html#instance=" + id + "&ticket=" + ticket,
                "/console/vnc/" + id + "?ticket=" + ticket, t.grant().expiresAt());
    }

    @GET
    @Path("console-log")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getConsoleLog", summary = "The tail of the instance's serial console log (text)")
    public String consoleLog(@PathParam("id") String id, @QueryParam("bytes") Integer bytes) {
        Caller caller = callers.current();
        if (bytes != null && (bytes < 1 || bytes > MAX_BYTES)) {
            throw ApiException.badRequest("bytes", "must be 1-" + MAX_BYTES);
        }
        Instance instance = running(caller, id);
        try {
            var log = compute.consoleLog(instance.hostEndpoint(), id, bytes == null ? DEFAULT_BYTES : bytes);
            return log.getData().toString(StandardCharsets.UTF_8);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
                // the host's driver keeps no console: a fact about the instance, not a failure of ours
                throw ApiException.conflict("instance " + id + " has no serial console: "
                        + e.getStatus().getDescription());
            }
            throw GrpcProblems.from(e);
        }
    }

    /** The instance, if it is placed on a host and not gone; 409 otherwise. */
    private Instance running(Caller caller, String id) {
        Instance instance = instances.get(caller, id);
        if (instance.hostEndpoint() == null || instance.hostEndpoint().isBlank()
                || instance.status() == InstanceStatus.DELETED || instance.status() == InstanceStatus.DELETING) {
            throw ApiException.conflict("instance " + id + " is " + instance.status()
                    + " and has no console (it is not placed on a host)");
        }
        return instance;
    }
}
