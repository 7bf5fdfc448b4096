package io.virga.network.subnet;

import io.virga.network.Locking;
import io.virga.network.ipam.Cidr;
import io.virga.network.ipam.Ipv4;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of {@code subnets}; every method works inside the caller's transaction. */
@ApplicationScoped
public class SubnetRepository {
    private static final String COLUMNS = "id, network_id, project_id, name, host(cidr) AS net, masklen(cidr) AS len,"
            + " host(gateway_ip) AS gw, created_at";

    /** Inserts {@code subnet} as given (id and created_at are taken from the database's answer). */
    public Subnet insert(Connection c, String id, String networkId, String projectId, String name, Cidr cidr,
            long gateway) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subnets(id, network_id, project_id, name, cidr,"
                + " gateway_ip) VALUES (?, ?, ?, ?, ?::cidr, ?::inet) RETURNING " + COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, networkId);
            ps.setString(3, projectId);
            ps.setString(4, name);
            ps.setString(5, cidr.toString());
            ps.setString(6, Ipv4.format(gateway));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        }
    }

    /** The subnets of one network, oldest first, row-locked as asked (locks are taken in that order). */
    public List<Subnet> listByNetwork(Connection c, String networkId, Locking locking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM subnets WHERE network_id = ?"
                + " ORDER BY created_at, id" + locking.sql())) {
            ps.setString(1, networkId);
            List<Subnet> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** The subnets of several networks, grouped by network id (oldest first within each). */
    public Map<String, List<Subnet>> listByNetworks(Connection c, Collection<String> networkIds) throws SQLException {
        Map<String, List<Subnet>> out = new LinkedHashMap<>();
        if (networkIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM subnets"
                + " WHERE network_id = ANY (?) ORDER BY created_at, id")) {
            Array ids = c.createArrayOf("text", networkIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Subnet s = read(rs);
                    out.computeIfAbsent(s.networkId(), k -> new ArrayList<>()).add(s);
                }
            }
        }
        return out;
    }

    /** Deletes every subnet of the network (no port may reference them); answers how many. */
    public int deleteByNetwork(Connection c, String networkId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM subnets WHERE network_id = ?")) {
            ps.setString(1, networkId);
            return ps.executeUpdate();
        }
    }

    private static Subnet read(ResultSet rs) throws SQLException {
        Cidr cidr = new Cidr(Ipv4.parse(rs.getString("net")), rs.getInt("len"));
        Instant created = rs.getTimestamp("created_at").toInstant();
        return new Subnet(rs.getString("id"), rs.getString("network_id"), rs.getString("project_id"),
                rs.getString("name"), cidr, Ipv4.parse(rs.getString("gw")), created);
    }
}
