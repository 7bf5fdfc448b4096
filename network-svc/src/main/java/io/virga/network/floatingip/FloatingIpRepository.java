package io.virga.network.floatingip;

import io.virga.network.Locking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of {@code floating_ips}; every method works inside the caller's transaction. */
@ApplicationScoped
public class FloatingIpRepository {
    static final String PORT_CONSTRAINT = "floating_ips_port_key";
    private static final String SELECT = "SELECT f.id, f.project_id, f.network_id, host(f.ip) AS ip,"
            + " coalesce(f.port_id, '') AS port_id, coalesce(host(p.ip), '') AS fixed_ip,"
            + " coalesce(i.router_id, '') AS router_id, f.version, f.created_at FROM floating_ips f"
            + " LEFT JOIN ports p ON p.id = f.port_id LEFT JOIN router_interfaces i ON i.subnet_id = p.subnet_id";

    public void insert(Connection c, String id, String projectId, String networkId, String subnetId, String ip)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO floating_ips(id, project_id, network_id,"
                + " subnet_id, ip) VALUES (?, ?, ?, ?, ?::inet)")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, networkId);
            ps.setString(4, subnetId);
            ps.setString(5, ip);
            ps.executeUpdate();
        }
    }

    /** The project's floating IP; with a lock, only the floating IP's own row is locked. */
    public Optional<FloatingIp> find(Connection c, String projectId, String id, Locking locking) throws SQLException {
        String lock = locking == Locking.NONE ? "" : locking.sql() + " OF f";
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE f.id = ? AND f.project_id = ?" + lock)) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            List<FloatingIp> out = all(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    public List<FloatingIp> list(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE f.project_id = ? ORDER BY f.created_at, f.id")) {
            ps.setString(1, projectId);
            return all(ps);
        }
    }

    /** The floating IP associated with the port, if any. */
    public Optional<String> ofPort(Connection c, String portId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM floating_ips WHERE port_id = ?")) {
            ps.setString(1, portId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets the port (null: none) and bumps the version. */
    public void setPort(Connection c, String id, String portId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE floating_ips SET port_id = ?, version = version + 1"
                + " WHERE id = ?")) {
            ps.setString(1, portId);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM floating_ips WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<FloatingIp> all(PreparedStatement ps) throws SQLException {
        List<FloatingIp> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FloatingIp(rs.getString("id"), rs.getString("project_id"), rs.getString("network_id"),
                        rs.getString("ip"), rs.getString("port_id"), rs.getString("fixed_ip"),
                        rs.getString("router_id"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }
}
