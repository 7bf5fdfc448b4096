package io.virga.scheduler.group;

import io.virga.platform.db.Tx;
import io.virga.scheduler.filter.GroupPlacement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The server_groups table. Members are not stored here: a member is a claim
 * ({@code allocations.server_group_id}); a group with members cannot be deleted.
 */
public final class GroupStore {
    public static final Set<String> POLICIES = Set.of(GroupPlacement.AFFINITY, GroupPlacement.ANTI_AFFINITY,
            GroupPlacement.SOFT_AFFINITY, GroupPlacement.SOFT_ANTI_AFFINITY);

    /** A group with its members (consumer → host). */
    public record Group(String id, String name, String projectId, String policy, Instant createdAt,
                        Map<String, String> members) {
        public GroupPlacement placement() {
            Map<String, Integer> hosts = new HashMap<>();
            members.values().forEach(h -> hosts.merge(h, 1, Integer::sum));
            return new GroupPlacement(id, name, policy, hosts);
        }
    }

    /** Thrown by {@link #delete} when members still hold claims. */
    public static final class InUse extends RuntimeException {
        public InUse(String message) {
            super(message);
        }
    }

    private final Tx tx;

    public GroupStore(DataSource dataSource) {
        this.tx = new Tx(dataSource);
    }

    public Group create(String id, String name, String projectId, String policy) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO server_groups (id, name, project_id, policy) VALUES (?, ?, ?, ?) RETURNING created_at")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, projectId);
                ps.setString(4, policy);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Group(id, name, projectId, policy, rs.getTimestamp(1).toInstant(), Map.of());
                }
            }
        });
    }

    public Optional<Group> find(String id) {
        Map<String, Group> m = find(List.of(id));
        return Optional.ofNullable(m.get(id));
    }

    /** The groups among {@code ids} that exist, with their members. */
    public Map<String, Group> find(Collection<String> ids) {
        return tx.run(c -> load(c, "WHERE g.id = ANY(?)", c.createArrayOf("text", ids.toArray())));
    }

    /** Groups of a project (every group when {@code projectId} is empty), by creation. */
    public List<Group> list(String projectId) {
        return tx.run(c -> new ArrayList<>(projectId.isEmpty() ? load(c, "WHERE true", null).values()
                : load(c, "WHERE g.project_id = ?", projectId).values()));
    }

    /** @return false when there was no such group; throws {@link InUse} while members hold claims */
    public boolean delete(String id) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM server_groups WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM allocations WHERE server_group_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new InUse("server group " + id + " still has " + rs.getLong(1) + " members");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM server_groups WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static Map<String, Group> load(Connection c, String where, Object arg) throws SQLException {
        Map<String, Group> out = new TreeMap<>();
        String sql = """
                SELECT g.id, g.name, g.project_id, g.policy, g.created_at,
                       (SELECT string_agg(a.consumer_id || '=' || a.host_id, ',') FROM allocations a
                         WHERE a.server_group_id = g.id) AS members
                  FROM server_groups g
                """ + where + " ORDER BY g.created_at, g.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setObject(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> members = new TreeMap<>();
                    String m = rs.getString("members");
                    if (m != null) {
                        for (String pair : m.split(",")) {
                            int eq = pair.indexOf('=');
                            members.put(pair.substring(0, eq), pair.substring(eq + 1));
                        }
                    }
                    out.put(rs.getString(1), new Group(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), members));
                }
            }
        }
        return out;
    }
}
