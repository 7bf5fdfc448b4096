package io.virga.gateway.instance.migration;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.ListCursor;
import io.virga.platform.db.Tx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/migrations} (cloud admins): resize and migration records,
 * oldest first, filtered by {@code ?instance_id=} and {@code ?status=}.
 */
@Path("/v1/migrations")
@Tag(name = "migrations", description = "Resize and migration records (admin)")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {
    private final CallerContext callers;
    private final MigrationRepository migrations;
    private final Tx tx;

    public MigrationResource(CallerContext callers, MigrationRepository migrations, Tx tx) {
        this.callers = callers;
        this.migrations = migrations;
        this.tx = tx;
    }

    @GET
    @Operation(operationId = "listMigrations",
            summary = "Resize and migration records (cloud admins); ?instance_id=, ?status= (pre-migrating,"
            + " migrating, finished, confirming, confirmed, reverting, reverted, completed, error), ?limit=&cursor=")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public Page<MigrationView> list(@QueryParam("instance_id") String instanceId,
                                    @QueryParam("status") String status, @QueryParam("limit") String limit,
                                    @QueryParam("cursor") String cursor) {
        callers.requireCloudAdmin();
        MigrationStatus wanted = status == null ? null : MigrationStatus.parse(status).orElseThrow(() ->
                ApiException.badRequest("status", "must be one of " + java.util.Arrays.stream(MigrationStatus.values())
                        .map(MigrationStatus::value).toList()));
        PageRequest page = PageRequest.of(limit, cursor);
        ListCursor after = ListCursor.after(page.afterKey());
        List<MigrationView> rows = tx.run(c -> migrations.list(c, instanceId, wanted, after, page.limit() + 1))
                .stream().map(MigrationView::of).toList();
        return page.keysetPage(rows, v -> ListCursor.key(v.createdAt(), v.id()));
    }
}
