package io.virga.gateway.instance.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.ListCursor;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Migration records, in the caller's transaction. A status change is a
 * compare-and-set from the statuses {@link MigrationStatus} allows before the
 * new one, so a step that runs again after a crash writes nothing twice.
 */
@ApplicationScoped
public class MigrationRepository {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Inserts a migration in {@code pre-migrating}.
     *
     * @throws SQLException with SQL state 23505 when the instance already has an open migration
     */
    public void insert(Connection c, Migration m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO migrations (id, instance_id, project_id, kind,"
                + " status, previous_status, source_host_id, source_host_name, source_endpoint, requested_host,"
                + " old_flavor, new_flavor, operation_id) VALUES (?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?)")) {
            ps.setString(1, m.id());
            ps.setString(2, m.instanceId());
            ps.setString(3, m.projectId());
            ps.setString(4, m.kind().value());
            ps.setString(5, MigrationStatus.PRE_MIGRATING.value());
            ps.setString(6, m.previousStatus().name());
            ps.setString(7, m.source().id());
            ps.setString(8, m.source().name());
            ps.setString(9, m.source().endpoint());
            ps.setString(10, m.requestedHost());
            ps.setString(11, json(m.oldFlavor()));
            ps.setString(12, json(m.newFlavor()));
            ps.setString(13, m.operationId());
            ps.executeUpdate();
        }
    }

    public Optional<Migration> find(Connection c, String id) throws SQLException {
        return one(c, "SELECT * FROM migrations WHERE id = ?", id);
    }

    /** The instance's open (not final) migration, if any. */
    public Optional<Migration> open(Connection c, String instanceId) throws SQLException {
        return one(c, "SELECT * FROM migrations WHERE instance_id = ? AND status NOT IN ('confirmed', 'reverted',"
                + " 'completed', 'error')", instanceId);
    }

    /** Records the claimed destination and moves {@code pre-migrating → migrating} (no-op if already past it). */
    public void destination(Connection c, String id, Migration.HostRef dest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET dest_host_id = ?, dest_host_name = ?,"
                + " dest_endpoint = ?, status = 'migrating', updated_at = now() WHERE id = ?"
                + " AND status = 'pre-migrating'")) {
            ps.setString(1, dest.id());
            ps.setString(2, dest.name());
            ps.setString(3, dest.endpoint());
            ps.setString(4, id);
            ps.executeUpdate();
        }
    }

    /**
     * Moves the migration to {@code to} if it is in a status allowed before it.
     *
     * @param fault why, for {@code error}; null otherwise
     * @return true when it moved; false when it was elsewhere (already there: a repeated step)
     */
    public boolean move(Connection c, String id, MigrationStatus to, String fault) throws SQLException {
        String from = MigrationStatus.before(to).stream().map(s -> "'" + s.value() + "'")
                .collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("UPDATE migrations SET status = ?, fault_message ="
                + " coalesce(?, fault_message), updated_at = now() WHERE id = ? AND status IN (" + from + ")")) {
            ps.setString(1, to.value());
            ps.setString(2, fault);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** One page, oldest first, after {@code after}; filters may be null. */
    public List<Migration> list(Connection c, String instanceId, MigrationStatus status, ListCursor after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM migrations WHERE true");
        List<Object> args = new ArrayList<>();
        if (instanceId != null) {
            sql.append(" AND instance_id = ?");
            args.add(instanceId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.value());
        }
        if (after != null) {
            sql.append(" AND (created_at, id) > (?, ?)");
            args.add(Timestamp.from(after.createdAt()));
            args.add(after.id());
        }
        sql.append(" ORDER BY created_at, id LIMIT ?");
        args.add(limit);
        List<Migration> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int n = 0; n < args.size(); n++) {
                ps.setObject(n + 1, args.get(n));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    private static Optional<Migration> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Migration row(ResultSet rs) throws SQLException {
        String destId = rs.getString("dest_host_id");
        return new Migration(rs.getString("id"), rs.getString("instance_id"), rs.getString("project_id"),
                MigrationKind.parse(rs.getString("kind")).orElseThrow(),
                MigrationStatus.parse(rs.getString("status")).orElseThrow(),
                InstanceStatus.valueOf(rs.getString("previous_status")),
                new Migration.HostRef(rs.getString("source_host_id"), rs.getString("source_host_name"),
                        rs.getString("source_endpoint")),
                destId == null ? null : new Migration.HostRef(destId, rs.getString("dest_host_name"),
                        rs.getString("dest_endpoint")),
                rs.getString("requested_host"), flavor(rs.getString("old_flavor")),
                flavor(rs.getString("new_flavor")), rs.getString("operation_id"), rs.getString("fault_message"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static String json(FlavorSnapshot f) {
        try {
            return JSON.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static FlavorSnapshot flavor(String json) throws SQLException {
        try {
            return JSON.readValue(json, FlavorSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable flavor " + json, e);
        }
    }
}
