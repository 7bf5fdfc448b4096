package io.virga.gateway.quota;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import io.virga.gateway.api.Checks;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.platform.db.Tx;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.PreparedStatement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A project's limits and usage; cloud admins change limits. */
@Path("/v1/projects/{projectId}/quotas")
@Tag(name = "quotas", description = "Quotas and current usage")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {
    /** Upper bound for any limit, so sums cannot overflow. */
    static final long MAX_LIMIT = 1_000_000_000L;

    private final CallerContext callers;
    private final QuotaService quotas;
    private final Tx tx;
    private final VolumeQuotaClient storage;

    public QuotaResource(CallerContext callers, QuotaService quotas, Tx tx, VolumeQuotaClient storage) {
        this.storage = storage;
        this.callers = callers;
        this.quotas = quotas;
        this.tx = tx;
    }

    /**
     * {@code {"limits": {instances, vcpus, ram_mb, volumes, gigabytes, snapshots}, "usage": {…}}}; the
     * block storage figures come from storage-svc (absent when it cannot answer).
     */
    public record QuotaView(QuotaFigures limits, QuotaFigures usage) {
        static QuotaView of(QuotaService.QuotaRow row, io.virga.contracts.storage.v1.VolumeQuotas storage) {
            return new QuotaView(QuotaFigures.limits(row.limits(), storage), QuotaFigures.usage(row.used(), storage));
        }
    }

    /** New limits; absent fields keep their value. volumes, gigabytes, snapshots: -1 is unlimited. */
    public record QuotaUpdate(Long instances, Long vcpus, Long ramMb, Long volumes, Long gigabytes, Long snapshots) {
        boolean touchesStorage() {
            return volumes != null || gigabytes != null || snapshots != null;
        }

        boolean touchesCompute() {
            return instances != null || vcpus != null || ramMb != null;
        }
    }

    @GET
    @Operation(operationId = "getProjectQuotas", summary = "Show a project's limits and usage")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public QuotaView get(@PathParam("projectId") String projectId) {
        Caller caller = callers.current();
        if (!caller.canSee(projectId)) {
            throw ApiException.notFound("project", projectId);
        }
        QuotaService.QuotaRow row = tx.run(c -> quotas.read(c, projectId));
        return QuotaView.of(row, storage.read(projectId).orElse(null));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setProjectQuotas",
            summary = "Set a project's limits (cloud admin); may be below current usage. volumes, gigabytes and "
            + "snapshots are block storage's (-1: unlimited)")
    public QuotaView put(@PathParam("projectId") String projectId, QuotaUpdate body) {
        callers.requireCloudAdmin();
        Checks.body(body);
        Checks c = new Checks();
        c.optionalRange("instances", body.instances(), 0, Integer.MAX_VALUE);
        c.optionalRange("vcpus", body.vcpus(), 0, Integer.MAX_VALUE);
        c.optionalRange("ram_mb", body.ramMb(), 0, MAX_LIMIT * 1024);
        c.optionalRange("volumes", body.volumes(), -1, MAX_LIMIT);
        c.optionalRange("gigabytes", body.gigabytes(), -1, MAX_LIMIT);
        c.optionalRange("snapshots", body.snapshots(), -1, MAX_LIMIT);
        if (!body.touchesCompute() && !body.touchesStorage()) {
            c.fail("instances", "at least one of instances, vcpus, ram_mb, volumes, gigabytes, snapshots is required");
        }
        c.done();
        tx.run(conn -> quotas.read(conn, projectId)); // 404 for an unknown project before anything changes
        io.virga.contracts.storage.v1.VolumeQuotas volumes = body.touchesStorage()
                ? storage.set(projectId, body.volumes(), body.gigabytes(), body.snapshots())
                : storage.read(projectId).orElse(null);
        if (!body.touchesCompute()) {
            return QuotaView.of(tx.run(conn -> quotas.read(conn, projectId)), volumes);
        }
        return QuotaView.of(tx.run(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE project_quotas SET"
                    + " limit_instances = COALESCE(?, limit_instances), limit_vcpus = COALESCE(?, limit_vcpus),"
                    + " limit_ram_mb = COALESCE(?, limit_ram_mb) WHERE project_id = ?")) {
                ps.setObject(1, body.instances() == null ? null : body.instances().intValue());
                ps.setObject(2, body.vcpus() == null ? null : body.vcpus().intValue());
                ps.setObject(3, body.ramMb());
                ps.setString(4, projectId);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.notFound("project", projectId);
                }
            }
            return quotas.read(conn, projectId);
        }), volumes);
    }
}
