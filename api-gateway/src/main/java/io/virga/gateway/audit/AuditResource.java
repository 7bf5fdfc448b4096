package io.virga.gateway.audit;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.GrpcProblems;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/admin/consistency-audit[?repair=true]}: the consistency audit (cloud admin only). */
@Path("/v1/admin/consistency-audit")
@Tag(name = "admin", description = "Operator tools (cloud admin)")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final CallerContext callers;
    private final ConsistencyAudit audit;

    public AuditResource(CallerContext callers, ConsistencyAudit audit) {
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Operation(operationId = "runConsistencyAudit",
            summary = "Compare instances with ports, volumes and the guests on every UP host; report every"
            + " disagreement, and with repair=true fix what is safe (orphan auto-delete ports, orphan guests)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public AuditReport run(@QueryParam("repair") String repair) {
        callers.requireCloudAdmin();
        boolean fix;
        if (repair == null || repair.isEmpty() || repair.equals("false")) {
            fix = false;
        } else if (repair.equals("true")) {
            fix = true;
        } else {
            throw io.virga.gateway.error.ApiException.badRequest("repair", "must be true or false");
        }
        return GrpcProblems.call(() -> audit.run(fix));
    }
}
