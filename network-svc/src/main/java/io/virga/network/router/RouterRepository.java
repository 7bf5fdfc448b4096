package io.virga.network.router;

import io.virga.network.Locking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of {@code routers} and {@code router_interfaces}; every method works inside the caller's transaction. */
@ApplicationScoped
public class RouterRepository {
    private static final String COLUMNS = "id, project_id, name, external_network_id, host(gateway_ip) AS gw,"
            + " status, created_at, array(SELECT i.subnet_id FROM router_interfaces i WHERE i.router_id = routers.id"
            + " ORDER BY i.created_at, i.subnet_id) AS subnet_ids";

    public Router insert(Connection c, String id, String projectId, String name, String externalNetworkId,
            String gatewaySubnetId, String gatewayIp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO routers(id, project_id, name,"
                + " external_network_id, gateway_subnet_id, gateway_ip) VALUES (?, ?, ?, ?, ?, ?::inet)")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, name);
            ps.setString(4, externalNetworkId);
            ps.setString(5, gatewaySubnetId);
            ps.setString(6, gatewayIp);
            ps.executeUpdate();
        }
        return find(c, projectId, id, Locking.NONE).orElseThrow();
    }

    /** The project's router, row-locked as asked. */
    public Optional<Router> find(Connection c, String projectId, String id, Locking locking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM routers WHERE id = ?"
                + " AND project_id = ?" + locking.sql())) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            return first(ps);
        }
    }

    /** The project's routers, oldest first. */
    public List<Router> list(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM routers WHERE project_id = ?"
                + " ORDER BY created_at, id")) {
            ps.setString(1, projectId);
            return all(ps);
        }
    }

    /** Every router of every project, oldest first (for the router nodes). */
    public List<Router> listAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM routers ORDER BY created_at, id")) {
            return all(ps);
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM routers WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Joins the subnet; the primary key refuses a subnet joined to any router already. */
    public void addInterface(Connection c, String routerId, String subnetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO router_interfaces(subnet_id, router_id)"
                + " VALUES (?, ?)")) {
            ps.setString(1, subnetId);
            ps.setString(2, routerId);
            ps.executeUpdate();
        }
    }

    /** The router the subnet is joined to, row-locked as asked (an interface row). */
    public Optional<String> routerOfSubnet(Connection c, String subnetId, Locking locking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT router_id FROM router_interfaces WHERE subnet_id = ?"
                + locking.sql())) {
            ps.setString(1, subnetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public boolean removeInterface(Connection c, String routerId, String subnetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM router_interfaces WHERE subnet_id = ?"
                + " AND router_id = ?")) {
            ps.setString(1, subnetId);
            ps.setString(2, routerId);
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<Router> first(PreparedStatement ps) throws SQLException {
        List<Router> out = all(ps);
        return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
    }

    private static List<Router> all(PreparedStatement ps) throws SQLException {
        List<Router> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array subnets = rs.getArray("subnet_ids");
                out.add(new Router(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                        rs.getString("external_network_id"), rs.getString("gw"), List.of((String[]) subnets.getArray()),
                        rs.getString("status"), rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }
}
