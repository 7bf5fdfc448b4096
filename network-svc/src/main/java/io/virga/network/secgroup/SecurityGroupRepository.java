package io.virga.network.secgroup;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of {@code security_groups}, {@code security_group_rules} and
 * {@code port_security_groups}; every method works inside the caller's transaction.
 */
@ApplicationScoped
public class SecurityGroupRepository {
    private static final String GROUP_COLUMNS = "id, project_id, name, description, created_at";
    private static final String RULE_COLUMNS = "id, group_id, project_id, direction, protocol, port_min, port_max,"
            + " text(remote_cidr) AS cidr, remote_group_id, created_at";

    /** Inserts a group; empty when the project already has one of that name. */
    public Optional<SecurityGroup> insert(Connection c, String id, String projectId, String name, String description)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_groups(id, project_id, name, description)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (project_id, name) DO NOTHING RETURNING " + GROUP_COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, name);
            ps.setString(4, description);
            List<SecurityGroup> out = groups(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The project's group {@code id} without its rules. */
    public Optional<SecurityGroup> find(Connection c, String projectId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + GROUP_COLUMNS + " FROM security_groups"
                + " WHERE id = ? AND project_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            List<SecurityGroup> out = groups(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The project's group named {@code name} without its rules. */
    public Optional<SecurityGroup> findByName(Connection c, String projectId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + GROUP_COLUMNS + " FROM security_groups"
                + " WHERE project_id = ? AND name = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            List<SecurityGroup> out = groups(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The project's groups, oldest first, without rules. */
    public List<SecurityGroup> list(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + GROUP_COLUMNS + " FROM security_groups"
                + " WHERE project_id = ? ORDER BY created_at, id")) {
            ps.setString(1, projectId);
            return groups(ps);
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM security_groups WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Takes the group's row lock (rule and membership changes of one group are serialised). */
    public void lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM security_groups WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            ps.executeQuery().close();
        }
    }

    public SecurityGroupRule insertRule(Connection c, String id, String groupId, String projectId, RuleRequest r)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_group_rules(id, group_id, project_id,"
                + " direction, protocol, port_min, port_max, remote_cidr, remote_group_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::cidr, ?) RETURNING " + RULE_COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, groupId);
            ps.setString(3, projectId);
            ps.setString(4, r.direction());
            ps.setString(5, r.protocol());
            if (r.portMin() == 0) {
                ps.setNull(6, Types.INTEGER);
                ps.setNull(7, Types.INTEGER);
            } else {
                ps.setInt(6, r.portMin());
                ps.setInt(7, r.portMax());
            }
            ps.setString(8, r.remoteCidr());
            ps.setString(9, r.remoteGroupId());
            return rules(ps).get(0);
        }
    }

    /** Deletes the project's rule; answers it (empty when missing). */
    public Optional<SecurityGroupRule> deleteRule(Connection c, String projectId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM security_group_rules WHERE id = ?"
                + " AND project_id = ? RETURNING " + RULE_COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            List<SecurityGroupRule> out = rules(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The project's rule {@code id}. */
    public Optional<SecurityGroupRule> findRule(Connection c, String projectId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RULE_COLUMNS + " FROM security_group_rules"
                + " WHERE id = ? AND project_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            List<SecurityGroupRule> out = rules(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The rules of the groups, grouped by group id, oldest first. */
    public Map<String, List<SecurityGroupRule>> rulesOf(Connection c, Collection<String> groupIds) throws SQLException {
        Map<String, List<SecurityGroupRule>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RULE_COLUMNS + " FROM security_group_rules"
                + " WHERE group_id = ANY (?) ORDER BY created_at, id")) {
            ps.setArray(1, c.createArrayOf("text", groupIds.toArray()));
            for (SecurityGroupRule r : rules(ps)) {
                out.computeIfAbsent(r.groupId(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /** Puts the port in the groups. */
    public void addMembers(Connection c, String portId, List<String> groupIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO port_security_groups(port_id, group_id)"
                + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String g : groupIds) {
                ps.setString(1, portId);
                ps.setString(2, g);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The groups of each port (ports in none are absent). */
    public Map<String, List<String>> groupsOfPorts(Connection c, Collection<String> portIds) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT port_id, group_id FROM port_security_groups"
                + " WHERE port_id = ANY (?) ORDER BY port_id, group_id")) {
            ps.setArray(1, c.createArrayOf("text", portIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The member ports of the group. */
    public List<String> members(Connection c, String groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT port_id FROM port_security_groups WHERE group_id = ?"
                + " ORDER BY port_id")) {
            ps.setString(1, groupId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** The /32 addresses of the member ports of each group. */
    public Map<String, List<String>> memberAddresses(Connection c, Collection<String> groupIds) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.group_id, host(p.ip) FROM port_security_groups m"
                + " JOIN ports p ON p.id = m.port_id WHERE m.group_id = ANY (?) ORDER BY m.group_id, p.ip")) {
            ps.setArray(1, c.createArrayOf("text", groupIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2) + "/32");
                }
            }
        }
        return out;
    }

    private static List<SecurityGroup> groups(PreparedStatement ps) throws SQLException {
        List<SecurityGroup> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SecurityGroup(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                        rs.getString("description"), rs.getTimestamp("created_at").toInstant(), List.of()));
            }
        }
        return out;
    }

    private static List<SecurityGroupRule> rules(PreparedStatement ps) throws SQLException {
        List<SecurityGroupRule> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SecurityGroupRule(rs.getString("id"), rs.getString("group_id"), rs.getString("project_id"),
                        rs.getString("direction"), rs.getString("protocol"), rs.getInt("port_min"),
                        rs.getInt("port_max"), rs.getString("cidr"), rs.getString("remote_group_id"),
                        rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }
}
