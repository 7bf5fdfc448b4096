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
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An instance's consoles. {@code POST /v1/instances/{id}/console} with {@code {"type": "serial"}} answers
 * where to read the serial console ({@code GET /v1/instances/{id}/console-log}: the tail of the guest's
 * ttyS0, or a container's output, as Nova's console output). Graphical (VNC over WebSocket) consoles come
 * with the dashboard; asking for one today is a 400 that says so.
 */
@Path("/v1/instances/{id}")
@Tag(name = "instances")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {
    static final Set<String> TYPES = Set.of("serial");
    static final int DEFAULT_BYTES = 64 * 1024;
    static final int MAX_BYTES = 1024 * 1024;

    private final CallerContext callers;
    private final InstanceService instances;
    private final ComputeClients compute;

    public ConsoleResource(CallerContext callers, InstanceService instances, ComputeClients compute) {
        this.callers = callers;
        this.instances = instances;
        this.compute = compute;
    }

    /** {@code {"type": "serial"}}. */
    public record ConsoleRequest(String type) {
    }

    /** Where to read the console. */
    public record ConsoleView(String type, String url) {
    }

    @POST
    @Path("console")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createConsole", summary = "Get a console of the instance (type serial: its console log)")
    public ConsoleView console(@PathParam("id") String id, ConsoleRequest body) {
        Caller caller = callers.current();
        Checks.body(body);
        Checks c = new Checks();
        if (c.required("type", body.type())) {
            if ("vnc".equals(body.type())) {
                throw ApiException.badRequest("type", "graphical (vnc) consoles are not served yet; use serial");
            }
            c.oneOf("type", body.type(), TYPES);
        }
        c.done();
        running(caller, id);
        return new ConsoleView("serial", "/v1/instances/" + id + "/console-log");
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
