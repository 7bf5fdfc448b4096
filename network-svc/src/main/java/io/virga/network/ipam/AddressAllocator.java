package io.virga.network.ipam;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
     * The lowest free host address of the subnet: neither network, broadcast,
     * gateway nor held by a port; empty when there is none.
     *
     * <p>The lowest free address is either the first host, the address after
     * the gateway, or the address after a held one, so only those candidates
     * are probed (cost grows with the ports of the subnet, not its size).
     */
    public OptionalLong lowestFree(Connection c, String subnetId, Cidr cidr, long gateway) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT host(x.ip) FROM ("
                + " SELECT ?::inet AS ip"
                + " UNION ALL SELECT ?::inet + 1"
                + " UNION ALL SELECT p.ip + 1 FROM ports p WHERE p.subnet_id = ?) x"
                + " WHERE x.ip >= ?::inet AND x.ip <= ?::inet AND x.ip <> ?::inet"
                + " AND NOT EXISTS (SELECT 1 FROM ports u WHERE u.subnet_id = ? AND u.ip = x.ip)"
                + " ORDER BY x.ip LIMIT 1")) {
            ps.setString(1, Ipv4.format(cidr.firstHost()));
            ps.setString(2, Ipv4.format(gateway));
            ps.setString(3, subnetId);
            ps.setString(4, Ipv4.format(cidr.firstHost()));
            ps.setString(5, Ipv4.format(cidr.lastHost()));
            ps.setString(6, Ipv4.format(gateway));
            ps.setString(7, subnetId);
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
