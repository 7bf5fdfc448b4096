package io.virga.gateway.placement.audit;

import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/admin/placement/audit[?repair=true]} (cloud admin): compares the scheduler's claims with the
 * instances and migrations ({@link ClaimAudit}). Answers 200 with the report: {@code orphans} (claims of
 * deleted, failed or unknown consumers; with {@code repair=true} released, {@code released: true}),
 * {@code mismatched} (an instance settled on another host than its claim's) and {@code missing_claims}
 * (instances on a host without a claim). Without {@code repair} nothing changes.
 */
@Path("/v1/admin/placement/audit")
@Tag(name = "hosts")
@Produces(MediaType.APPLICATION_JSON)
public class ClaimAuditResource {
    private final CallerContext callers;
    private final ClaimAudit audit;

    public ClaimAuditResource(CallerContext callers, ClaimAudit audit) {
        this.callers = callers;
        this.audit = audit;
    }

    @POST
    @Operation(operationId = "runPlacementAudit",
            summary = "Compare scheduler claims with instances; ?repair=true releases the orphans (cloud admin)")
    public ClaimAudit.Report run(@QueryParam("repair") String repair) {
        callers.requireCloudAdmin();
        return audit.run(flag(repair));
    }

    private static boolean flag(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("repair", "must be true or false, got '" + value + "'");
    }
}
