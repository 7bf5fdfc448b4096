package io.virga.network.ipam;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finds free host addresses of a subnet among the addresses held by ports.
 *
 * <p>Precondition: the caller holds the subnet's row lock (FOR UPDATE) in its
 * transaction, so that no other allocation in the subnet runs until it
 * commits; UNIQUE (subnet_id, ip) is the last line of defence.
 */
@ApplicationScoped
public class AddressAllocator {

    /**
     * The lowest free address of the first pool (lowest first) that has one:
     * not held by a port of the subnet; empty when every pool is full. Pools
     * never contain the network, broadcast or gateway address.
     *
     * <p>The lowest free address of a pool is either its first address or the
     * address after a held one, so only those candidates are probed (cost
     * grows with the ports of the subnet, not its size).
     */
    public OptionalLong lowestFree(Connection c, String subnetId, List<AddressRange> pools) throws SQLException {
        for (AddressRange pool : pools) {
            OptionalLong ip = lowestFree(c, subnetId, pool);
            if (ip.isPresent()) {
                return ip;
            }
        }
        return OptionalLong.empty();
    }

    private OptionalLong lowestFree(Connection c, String subnetId, AddressRange pool) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT host(x.ip) FROM ("
                + " SELECT ?::inet AS ip"
                + " UNION ALL SELECT p.ip + 1 FROM ports p WHERE p.subnet_id = ? AND p.ip >= ?::inet AND p.ip < ?::inet) x"
                + " WHERE NOT EXISTS (SELECT 1 FROM ports u WHERE u.subnet_id = ? AND u.ip = x.ip)"
                + " ORDER BY x.ip LIMIT 1")) {
            ps.setString(1, Ipv4.format(pool.first()));
            ps.setString(2, subnetId);
            ps.setString(3, Ipv4.format(pool.first()));
            ps.setString(4, Ipv4.format(pool.last()));
            ps.setString(5, subnetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(Ipv4.parse(rs.getString(1))) : OptionalLong.empty();
            }
        }
    }

    /** True when a port of the subnet holds {@code address}. */
    public boolean isHeld(Connection c, String subnetId, long address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM ports WHERE subnet_id = ? AND ip = ?::inet")) {
            ps.setString(1, subnetId);
            ps.setString(2, Ipv4.format(address));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
