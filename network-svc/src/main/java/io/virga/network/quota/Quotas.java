package io.virga.network.quota;

import io.virga.network.Fields;
import io.virga.platform.db.Tx;
import io.virga.platform.grpc.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-project limits of network resources, enforced race-free.
 *
 * <p>{@link #reserve} runs inside the transaction that inserts the new rows:
 * it takes the project's quota lock (a transaction-scoped advisory lock), so
 * two concurrent creates of one project are serialised between the count and
 * the insert, and the second one sees the first one's row. A limit of -1 is
 * unlimited; a project without a row has the resource's default limit.
 */
@ApplicationScoped
public class Quotas {
    private final Tx tx;

    public Quotas(Tx tx) {
        this.tx = tx;
    }

    /** A resource's limit and current usage. */
    public record Usage(QuotaResource resource, int limit, long used) {
    }

    /**
     * Checks that {@code count} more of {@code resource} fit the project's
     * limit and keeps the project's quota lock until the caller's transaction
     * ends. RESOURCE_EXHAUSTED ("quota exceeded …") otherwise.
     */
    public void reserve(Connection c, String projectId, QuotaResource resource, int count) throws SQLException {
        lock(c, projectId);
        int limit = limit(c, projectId, resource);
        if (limit < 0) {
            return;
        }
        long used = used(c, projectId, resource);
        if (used + count > limit) {
            throw GrpcErrors.exhausted("quota exceeded for " + resource.wireName() + ": limit " + limit + ", used "
                    + used + ", requested " + count);
        }
    }

    /** Every resource's limit and usage of the project. */
    public List<Usage> get(String projectId) {
        String project = Fields.projectId(projectId);
        return tx.run(c -> {
            List<Usage> out = new ArrayList<>();
            for (QuotaResource r : QuotaResource.values()) {
                out.add(new Usage(r, limit(c, project, r), used(c, project, r)));
            }
            return out;
        });
    }

    /**
     * Sets a limit (-1: unlimited). A limit below the current usage is
     * accepted (nothing is taken away; new creates are refused), as in
     * OpenStack. INVALID_ARGUMENT for an unknown resource or a limit below -1.
     */
    public List<Usage> set(String projectId, String resourceName, int limit) {
        String project = Fields.projectId(projectId);
        QuotaResource resource = QuotaResource.of(resourceName).orElseThrow(() -> GrpcErrors.invalidArgument(
                "resource", "unknown resource '" + resourceName + "'; one of " + Arrays.stream(QuotaResource.values())
                        .map(QuotaResource::wireName).toList()));
        if (limit < -1) {
            throw GrpcErrors.invalidArgument("limit", "must be -1 (unlimited) or more, got " + limit);
        }
        tx.run(c -> {
            lock(c, project);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO quotas(project_id, resource, max_count)"
                    + " VALUES (?, ?, ?) ON CONFLICT (project_id, resource) DO UPDATE SET max_count = EXCLUDED.max_count")) {
                ps.setString(1, project);
                ps.setString(2, resource.wireName());
                ps.setInt(3, limit);
                ps.executeUpdate();
            }
            return null;
        });
        return get(project);
    }

    private static void lock(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('network-quota'),"
                + " hashtext(?))")) {
            ps.setString(1, projectId);
            ps.execute();
        }
    }

    private static int limit(Connection c, String projectId, QuotaResource resource) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max_count FROM quotas WHERE project_id = ?"
                + " AND resource = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, resource.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : resource.defaultLimit();
            }
        }
    }

    private static long used(Connection c, String projectId, QuotaResource resource) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(resource.usageSql())) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
