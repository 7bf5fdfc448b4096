package io.virga.network.router;

import io.virga.platform.grpc.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What routers and floating IPs hold of networks and subnets, checked before
 * those are deleted (a clear FAILED_PRECONDITION instead of a foreign-key error).
 */
@ApplicationScoped
public class RouterUse {

    /** FAILED_PRECONDITION while a router has a gateway on the network, or a floating IP is taken from it. */
    public void refuseNetworkDelete(Connection c, String networkId) throws SQLException {
        long routers = count(c, "SELECT count(*) FROM routers WHERE external_network_id = ?", networkId);
        long fips = count(c, "SELECT count(*) FROM floating_ips WHERE network_id = ?", networkId);
        if (routers + fips > 0) {
            throw GrpcErrors.failedPrecondition("network " + networkId + " is used by " + routers
                    + " router gateway(s) and " + fips + " floating IP(s); delete them first");
        }
        long joined = count(c, "SELECT count(*) FROM router_interfaces i JOIN subnets s ON s.id = i.subnet_id"
                + " WHERE s.network_id = ?", networkId);
        if (joined > 0) {
            throw GrpcErrors.failedPrecondition("network " + networkId + " has " + joined
                    + " subnet(s) joined to a router; remove the router interfaces first");
        }
    }

    /** FAILED_PRECONDITION while the subnet is joined to a router or holds external addresses. */
    public void refuseSubnetDelete(Connection c, String subnetId) throws SQLException {
        if (count(c, "SELECT count(*) FROM router_interfaces WHERE subnet_id = ?", subnetId) > 0) {
            throw GrpcErrors.failedPrecondition("subnet " + subnetId
                    + " is joined to a router; remove the router interface first");
        }
        long held = count(c, "SELECT count(*) FROM external_ips WHERE subnet_id = ?", subnetId);
        if (held > 0) {
            throw GrpcErrors.failedPrecondition("subnet " + subnetId + " still has " + held
                    + " address(es) held by router gateways or floating IPs; delete them first");
        }
    }

    static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
