package io.virga.gateway.placement.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway's database says about the consumers of claims: instances and migrations, read by id in
 * batches, and the settled instances that sit on a host (which must hold a claim). Read-only.
 */
final class AuditFacts {
    /** Resting statuses whose instance holds its host's resources (ERROR only when it has a host). */
    static final List<String> HOLDING = List.of("ACTIVE", "STOPPED", "PAUSED", "SUSPENDED", "ERROR");

    private AuditFacts() {
    }

    /** One instance as the audit needs it. */
    record InstanceFact(String id, String projectId, String status, String task, String hostId, Instant updatedAt,
                        Instant deletedAt) {
        boolean settled() {
            return task == null;
        }
    }

    /** One migration as the audit needs it. */
    record MigrationFact(String id, String instanceId, String status, Instant updatedAt) {
    }

    /** The instances among {@code ids}, by id. */
    static Map<String, InstanceFact> instances(Connection c, Collection<String> ids) throws SQLException {
        Map<String, InstanceFact> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, project_id, status, task, host_id, updated_at,"
                + " deleted_at FROM instances WHERE id = ANY (?)")) {
            ps.setArray(1, texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    InstanceFact f = instance(rs);
                    out.put(f.id(), f);
                }
            }
        }
        return out;
    }

    /** The migrations among {@code ids}, by id. */
    static Map<String, MigrationFact> migrations(Connection c, Collection<String> ids) throws SQLException {
        Map<String, MigrationFact> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, instance_id, status, updated_at FROM migrations WHERE id = ANY (?)")) {
            ps.setArray(1, texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new MigrationFact(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Settled instances (no task) in a {@link #HOLDING} status with a host, last changed before {@code before},
     * without an open migration, ordered by id after {@code afterId}, at most {@code limit}.
     */
    static List<InstanceFact> holding(Connection c, Instant before, String afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, project_id, status, task, host_id, updated_at,"
                + " deleted_at FROM instances i WHERE id > ? AND task IS NULL AND host_id IS NOT NULL"
                + " AND status = ANY (?) AND updated_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM migrations m WHERE m.instance_id = i.id"
                + "   AND m.status NOT IN ('confirmed', 'reverted', 'completed', 'error'))"
                + " ORDER BY id LIMIT ?")) {
            ps.setString(1, afterId);
            ps.setArray(2, texts(c, HOLDING));
            ps.setTimestamp(3, Timestamp.from(before));
            ps.setInt(4, limit);
            List<InstanceFact> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(instance(rs));
                }
            }
            return out;
        }
    }

    /** Whether {@code instanceId} has an open (not final) migration. */
    static boolean moving(Connection c, String instanceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM migrations WHERE instance_id = ?"
                + " AND status NOT IN ('confirmed', 'reverted', 'completed', 'error')")) {
            ps.setString(1, instanceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static InstanceFact instance(ResultSet rs) throws SQLException {
        Timestamp deleted = rs.getTimestamp(7);
        return new InstanceFact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toInstant(), deleted == null ? null : deleted.toInstant());
    }

    private static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }
}
