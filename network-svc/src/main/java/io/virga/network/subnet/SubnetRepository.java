package io.virga.network.subnet;

import io.virga.network.Locking;
import io.virga.network.ipam.AddressRange;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows of {@code subnets} and {@code subnet_pools}; every method works inside the caller's transaction. */
@ApplicationScoped
public class SubnetRepository {
    private static final String COLUMNS = "id, network_id, project_id, name, host(cidr) AS net, masklen(cidr) AS len,"
            + " host(gateway_ip) AS gw, created_at, array(SELECT host(d) FROM unnest(dns_nameservers) d) AS dns,"
            + " host_routes";

    /** Inserts the subnet with its pools (id and created_at are taken from the database's answer). */
    public Subnet insert(Connection c, String id, String networkId, String projectId, String name, Cidr cidr,
            long gateway, SubnetOptions options) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subnets(id, network_id, project_id, name, cidr,"
                + " gateway_ip, dns_nameservers, host_routes) VALUES (?, ?, ?, ?, ?::cidr, ?::inet, ?::inet[], ?)")) {
            ps.setString(1, id);
            ps.setString(2, networkId);
            ps.setString(3, projectId);
            ps.setString(4, name);
            ps.setString(5, cidr.toString());
            ps.setString(6, Ipv4.format(gateway));
            ps.setArray(7, c.createArrayOf("text", options.dnsNameservers().stream().map(Ipv4::format).toArray()));
            ps.setArray(8, c.createArrayOf("text", options.hostRoutes().stream()
                    .map(r -> r.destination() + "," + Ipv4.format(r.nexthop())).toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO subnet_pools(subnet_id, first_ip, last_ip)"
                + " VALUES (?, ?::inet, ?::inet)")) {
            for (AddressRange pool : options.pools()) {
                ps.setString(1, id);
                ps.setString(2, Ipv4.format(pool.first()));
                ps.setString(3, Ipv4.format(pool.last()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return find(c, id, Locking.NONE).orElseThrow();
    }

    /** The subnet {@code id} (of any project), row-locked as asked. */
    public Optional<Subnet> find(Connection c, String id, Locking locking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM subnets WHERE id = ?"
                + locking.sql())) {
            ps.setString(1, id);
            List<Subnet> out = readAll(c, ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
        }
    }

    /** The subnets of one network, oldest first, row-locked as asked (locks are taken in that order). */
    public List<Subnet> listByNetwork(Connection c, String networkId, Locking locking) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM subnets WHERE network_id = ?"
                + " ORDER BY created_at, id" + locking.sql())) {
            ps.setString(1, networkId);
            return readAll(c, ps);
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
            for (Subnet s : readAll(c, ps)) {
                out.computeIfAbsent(s.networkId(), k -> new ArrayList<>()).add(s);
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

    /** Deletes the subnet (no port may reference it; its pools go with it); answers whether it existed. */
    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM subnets WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Subnet> readAll(Connection c, PreparedStatement ps) throws SQLException {
        List<Subnet> partial = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                partial.add(read(rs, List.of()));
            }
        }
        if (partial.isEmpty()) {
            return partial;
        }
        Map<String, List<AddressRange>> pools = pools(c, partial.stream().map(Subnet::id).toList());
        List<Subnet> out = new ArrayList<>();
        for (Subnet s : partial) {
            SubnetOptions o = s.options();
            out.add(new Subnet(s.id(), s.networkId(), s.projectId(), s.name(), s.cidr(), s.gateway(), s.createdAt(),
                    new SubnetOptions(pools.getOrDefault(s.id(), List.of()), o.dnsNameservers(), o.hostRoutes())));
        }
        return out;
    }

    private static Map<String, List<AddressRange>> pools(Connection c, List<String> subnetIds) throws SQLException {
        Map<String, List<AddressRange>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subnet_id, host(first_ip) AS f, host(last_ip) AS l"
                + " FROM subnet_pools WHERE subnet_id = ANY (?) ORDER BY subnet_id, first_ip")) {
            ps.setArray(1, c.createArrayOf("text", subnetIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString("subnet_id"), k -> new ArrayList<>())
                            .add(new AddressRange(Ipv4.parse(rs.getString("f")), Ipv4.parse(rs.getString("l"))));
                }
            }
        }
        return out;
    }

    private static Subnet read(ResultSet rs, List<AddressRange> pools) throws SQLException {
        Cidr cidr = new Cidr(Ipv4.parse(rs.getString("net")), rs.getInt("len"));
        Instant created = rs.getTimestamp("created_at").toInstant();
        List<Long> dns = new ArrayList<>();
        for (String d : (String[]) rs.getArray("dns").getArray()) {
            dns.add(Ipv4.parse(d));
        }
        List<HostRoute> routes = new ArrayList<>();
        for (String r : (String[]) rs.getArray("host_routes").getArray()) {
            String[] parts = r.split(",", 2);
            long[] destination = HostRoute.parseDestination(parts[0]);
            routes.add(new HostRoute(destination[0], (int) destination[1], Ipv4.parse(parts[1])));
        }
        return new Subnet(rs.getString("id"), rs.getString("network_id"), rs.getString("project_id"),
                rs.getString("name"), cidr, Ipv4.parse(rs.getString("gw")), created,
                new SubnetOptions(pools, dns, routes));
    }
}
