package io.virga.network.port;

import io.virga.network.SqlConstraints;
import io.virga.network.ipam.AddressAllocator;
import io.virga.network.ipam.Ipv4;
import io.virga.network.subnet.Subnet;
import io.virga.platform.grpc.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Picks a subnet and address for a new port and inserts it with a fresh MAC,
 * inside the caller's transaction.
 *
 * <p>Precondition: the caller holds the row locks (FOR UPDATE) of all the
 * network's subnets, so the address found is still free at insert time.
 */
@ApplicationScoped
public class PortAllocation {
    private static final int MAC_ATTEMPTS = 16;

    private final AddressAllocator addresses;
    private final MacAddressSource macs;

    public PortAllocation(AddressAllocator addresses, MacAddressSource macs) {
        this.addresses = addresses;
        this.macs = macs;
    }

    /** Where a new port goes. */
    public record Placement(Subnet subnet, long ip) {
    }

    /**
     * The lowest free address of the allocation pools of the first subnet
     * (oldest first) that has one.
     *
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED naming every full subnet
     */
    public Placement lowestFree(Connection c, List<Subnet> subnets) throws SQLException {
        List<String> full = new ArrayList<>();
        for (Subnet s : subnets) {
            OptionalLong ip = addresses.lowestFree(c, s.id(), s.options().pools());
            if (ip.isPresent()) {
                return new Placement(s, ip.getAsLong());
            }
            full.add("subnet " + s.id() + " (" + s.cidr() + ") has no free address");
        }
        throw GrpcErrors.exhausted(String.join("; ", full));
    }

    /**
     * The requested address, when it is a usable, free host address of one of
     * the subnets: INVALID_ARGUMENT ({@code fixed_ip}) when outside them or
     * the network / broadcast / gateway address, ALREADY_EXISTS when held.
     */
    public Placement fixed(Connection c, String networkId, List<Subnet> subnets, long ip) throws SQLException {
        for (Subnet s : subnets) {
            if (s.cidr().contains(ip)) {
                s.cidr().unusableReason(ip, s.gateway()).ifPresent(reason -> {
                    throw GrpcErrors.invalidArgument("fixed_ip", reason);
                });
                if (addresses.isHeld(c, s.id(), ip)) {
                    throw GrpcErrors.alreadyExists("fixed_ip " + Ipv4.format(ip) + " is already in use in subnet "
                            + s.id() + " (" + s.cidr() + ")");
                }
                return new Placement(s, ip);
            }
        }
        throw GrpcErrors.invalidArgument("fixed_ip", Ipv4.format(ip) + " is not inside a subnet of network "
                + networkId);
    }

    /**
     * Inserts the port with a MAC no other port has: a colliding MAC (UNIQUE
     * violation) is rolled back to a savepoint and another one is tried.
     */
    public Port insert(Connection c, PortRepository ports, String portId, String projectId, String networkId,
            Placement placement, String deviceId) throws SQLException {
        for (int attempt = 0; attempt < MAC_ATTEMPTS; attempt++) {
            String mac = macs.next();
            Savepoint sp = c.setSavepoint();
            try {
                Port port = ports.insert(c, portId, projectId, networkId, placement.subnet().id(), mac,
                        placement.ip(), deviceId);
                c.releaseSavepoint(sp);
                return port;
            } catch (SQLException e) {
                c.rollback(sp);
                if (!SqlConstraints.isUniqueViolation(e, PortRepository.MAC_CONSTRAINT)) {
                    throw e;
                }
            }
        }
        throw GrpcErrors.exhausted("no unused MAC address found after " + MAC_ATTEMPTS + " attempts");
    }
}
