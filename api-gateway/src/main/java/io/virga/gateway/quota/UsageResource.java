package io.virga.gateway.quota;

import io.virga.gateway.auth.CallerContext;
import io.virga.platform.db.Tx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's project's limits and usage. */
@Path("/v1/usage")
@Tag(name = "quotas")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    private final CallerContext callers;
    private final QuotaService quotas;
    private final Tx tx;
    private final VolumeQuotaClient storage;

    public UsageResource(CallerContext callers, QuotaService quotas, Tx tx, VolumeQuotaClient storage) {
        this.storage = storage;
        this.callers = callers;
        this.quotas = quotas;
        this.tx = tx;
    }

    @GET
    @Operation(operationId = "getUsage", summary = "Limits and usage of the caller's project")
    public QuotaResource.QuotaView usage() {
        String projectId = callers.current().projectId();
        QuotaService.QuotaRow row = tx.run(c -> quotas.read(c, projectId));
        return QuotaResource.QuotaView.of(row, storage.read(projectId).orElse(null));
    }
}
