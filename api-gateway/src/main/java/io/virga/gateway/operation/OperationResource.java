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
import io.virga.gateway.stream.OperationWaiters;
import io.virga.gateway.stream.StreamConfig;
import io.virga.gateway.stream.WaitParam;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
    private final OperationWaiters waiters;
    private final StreamConfig streamConfig;

    public OperationResource(CallerContext callers, OperationRepository operations, Tx tx, OperationWaiters waiters,
                             StreamConfig streamConfig) {
        this.callers = callers;
        this.operations = operations;
        this.tx = tx;
        this.waiters = waiters;
        this.streamConfig = streamConfig;
    }

    /**
     * One operation. With {@code ?wait=30s} the answer waits until the operation is no longer RUNNING or the
     * wait ends (at most {@code virga.gateway.events.max-wait}, 60 s), then shows it as it is; no thread is
     * held while waiting ({@link OperationWaiters}).
     */
    @GET
    @Path("/{id}")
    @io.smallrye.common.annotation.Blocking
    @org.eclipse.microprofile.openapi.annotations.Operation(operationId = "getOperation",
            summary = "Show an operation, optionally waiting until it finishes")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "200",
            description = "The operation (still RUNNING when the wait ended first)",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
                            implementation = OperationView.class)))
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "400",
            description = "wait is malformed or longer than the maximum",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = "application/problem+json"))
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "401",
            description = "No or unknown bearer token",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = "application/problem+json"))
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "404",
            description = "No such operation in the caller's project",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = "application/problem+json"))
    public CompletionStage<OperationView> get(@PathParam("id") String id,
            @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(
                    description = "Wait up to this long (e.g. 30s, 500ms; at most 60s) for the operation to finish")
            @QueryParam("wait") String wait) {
        Caller caller = callers.current();
        Duration waitFor = WaitParam.parse(wait, streamConfig.maxWait());
        OperationView now = read(caller, id);
        if (waitFor == null || waitFor.isZero() || !"RUNNING".equals(now.status())) {
            return CompletableFuture.completedFuture(now);
        }
        return waiters.await(id, waitFor).thenApplyAsync(done -> read(caller, id), waiters.executor());
    }

    /** The caller's operation as it is now (for in-process callers such as stacks; no wait). */
    public OperationView get(String id) {
        return read(callers.current(), id);
    }

    private OperationView read(Caller caller, String id) {
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
