package io.virga.gateway.operation;

import io.virga.gateway.api.Page;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.ListCursor;
import io.virga.gateway.instance.ListParams;
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
    public OperationView get(@PathParam("id") String id) {
        Caller caller = callers.current();
        Operation op = tx.run(c -> operations.find(c, id))
                .filter(o -> caller.cloudAdmin() || o.projectId().equals(caller.projectId()))
                .orElseThrow(() -> ApiException.notFound("operation", id));
        return OperationView.of(op);
    }

    @GET
    public Page<OperationView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = callers.current();
        ListParams params = ListParams.parse(limit, cursor);
        List<Operation> rows = tx.run(c -> operations.list(c, caller.projectId(), params.cursor(),
                params.limit() + 1));
        boolean more = rows.size() > params.limit();
        List<Operation> page = more ? rows.subList(0, params.limit()) : rows;
        String next = more ? new ListCursor(page.get(page.size() - 1).createdAt(), page.get(page.size() - 1).id())
                .encode() : null;
        return new Page<>(page.stream().map(OperationView::of).toList(), next);
    }
}
