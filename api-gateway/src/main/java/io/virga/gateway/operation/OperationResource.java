package io.virga.gateway.operation;

import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.ListCursor;
import io.virga.platform.db.Tx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /v1/operations[/{id}]}: the caller's project's async task records.
 * Another project's operation is 404 (a cloud admin may read any).
 */
@Path("/v1/operations")
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = "operations",
        description = "Async task records: steps, timings, fault")
@Produces(MediaType.APPLICATION_JSON)
public class OperationResource {
    private final CallerContext callers;
    private final OperationRepository operations;
    private final Tx tx;

    public OperationResource(CallerContext callers, OperationRepository operations, Tx tx) {
        this.callers = callers;
        this.operations = operations;
        this.tx = tx;
    }

    @GET
    @Path("/{id}")
    @org.eclipse.microprofile.openapi.annotations.Operation(operationId = "getOperation",
            summary = "Show an operation: its kind, status, steps with timings, and fault")
    public OperationView get(@PathParam("id") String id) {
        Caller caller = callers.current();
        Operation op = tx.run(c -> operations.find(c, id))
                .filter(o -> caller.cloudAdmin() || o.projectId().equals(caller.projectId()))
                .orElseThrow(() -> ApiException.notFound("operation", id));
        return OperationView.of(op);
    }

    /** The caller's project's operations, oldest first; a cloud admin may add {@code ?project_id=}. */
    @GET
    @org.eclipse.microprofile.openapi.annotations.Operation(operationId = "listOperations",
            summary = "List the project's operations, newest first")
    public Page<OperationView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                    @QueryParam("project_id") String project) {
        Caller caller = callers.current();
        PageRequest page = PageRequest.of(limit, cursor);
        ListCursor after = ListCursor.after(page.afterKey());
        String projectId = ProjectScope.resolve(caller, project);
        List<OperationView> rows = tx.run(c -> operations.list(c, projectId, after, page.limit() + 1)).stream()
                .map(OperationView::of).toList();
        return page.keysetPage(rows, v -> ListCursor.key(v.createdAt(), v.id()));
    }
}
