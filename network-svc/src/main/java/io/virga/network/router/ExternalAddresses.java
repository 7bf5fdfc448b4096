package io.virga.network.router;

import io.virga.network.Locking;
import io.virga.network.ipam.AddressRange;
import io.virga.network.ipam.Ipv4;
import io.virga.network.subnet.Subnet;
import io.virga.network.subnet.SubnetRepository;
import io.virga.platform.grpc.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Addresses of external networks, held by router gateways and floating IPs
 * ({@code external_ips}), inside the caller's transaction.
 *
 * <p>{@link #allocate} row-locks the network's subnets (FOR UPDATE) before
 * looking for a free address, so concurrent allocations on one network are
 * serialised and never get the same address; the primary key (subnet, ip)
 * is the last line of defence.
 */
@ApplicationScoped
public class ExternalAddresses {
    private final SubnetRepository subnets;

    public ExternalAddresses(SubnetRepository subnets) {
        this.subnets = subnets;
    }

    /** An address held for {@code holderId}. */
    public record Held(Subnet subnet, long ip) {
        public String prefixed() {
            return Ipv4.format(ip) + "/" + subnet.cidr().prefix();
        }
    }

    /**
     * Holds the lowest free pool address of the first subnet (oldest first)
     * of the external network that has one, for {@code holderId}.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION (no subnet), RESOURCE_EXHAUSTED (all taken)
     */
    public Held allocate(Connection c, String networkId, String holderId) throws SQLException {
        List<Subnet> locked = subnets.listByNetwork(c, networkId, Locking.UPDATE);
        if (locked.isEmpty()) {
            throw GrpcErrors.failedPrecondition("external network " + networkId + " has no subnet; add one first");
        }
        for (Subnet s : locked) {
            for (AddressRange pool : s.options().pools()) {
                OptionalLong ip = lowestFree(c, s.id(), pool);
                if (ip.isPresent()) {
                    insert(c, s.id(), ip.getAsLong(), holderId);
                    return new Held(s, ip.getAsLong());
                }
            }
        }
        throw GrpcErrors.exhausted("external network " + networkId + " has no free address");
    }

    /** Frees what {@code holderId} holds (nothing when it holds nothing). */
    public void free(Connection c, String holderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM external_ips WHERE holder_id = ?")) {
            ps.setString(1, holderId);
            ps.executeUpdate();
        }
    }

    private static void insert(Connection c, String subnetId, long ip, String holderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO external_ips(subnet_id, ip, holder_id)"
                + " VALUES (?, ?::inet, ?)")) {
            ps.setString(1, subnetId);
            ps.setString(2, Ipv4.format(ip));
            ps.setString(3, holderId);
            ps.executeUpdate();
        }
    }

    /** The pool's first address or the one after a held address, whichever is lowest and free. */
    private static OptionalLong lowestFree(Connection c, String subnetId, AddressRange pool) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT host(x.ip) FROM ("
                + " SELECT ?::inet AS ip"
                + " UNION ALL SELECT e.ip + 1 FROM external_ips e WHERE e.subnet_id = ? AND e.ip >= ?::inet"
                + " AND e.ip < ?::inet) x"
                + " WHERE NOT EXISTS (SELECT 1 FROM external_ips u WHERE u.subnet_id = ? AND u.ip = x.ip)"
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
}
