package io.virga.network.floatingip;

import io.grpc.Status;
import io.virga.network.Fields;
import io.virga.network.Locking;
import io.virga.network.SqlConstraints;
import io.virga.network.ipam.Ipv4;
import io.virga.network.network.Network;
import io.virga.network.network.NetworkRepository;
import io.virga.network.port.Port;
import io.virga.network.port.PortRepository;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import io.virga.network.router.ExternalAddresses;
import io.virga.network.router.RouterRepository;
import io.virga.platform.db.Tx;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Floating IPs of a project (see {@link FloatingIp} for the states). Every
 * change runs in one transaction; a refused call changes nothing.
 *
 * <p>An association needs the port's subnet to be joined to a router whose
 * gateway is on the floating IP's network; the interface row is
 * share-locked while associating (see {@link io.virga.network.router.RouterService}).
 * A port has at most one floating IP (UNIQUE port_id).
 */
@ApplicationScoped
public class FloatingIpService {
    private final Tx tx;
    private final FloatingIpRepository fips;
    private final NetworkRepository networks;
    private final PortRepository ports;
    private final RouterRepository routers;
    private final ExternalAddresses external;
    private final Quotas quotas;

    public FloatingIpService(Tx tx, FloatingIpRepository fips, NetworkRepository networks, PortRepository ports,
            RouterRepository routers, ExternalAddresses external, Quotas quotas) {
        this.tx = tx;
        this.fips = fips;
        this.networks = networks;
        this.ports = ports;
        this.routers = routers;
        this.external = external;
        this.quotas = quotas;
    }

    /**
     * Takes the lowest free address of the external network and, with
     * {@code portId}, associates it. INVALID_ARGUMENT when the network is not
     * external; RESOURCE_EXHAUSTED for the quota or a full network; the
     * association's errors as in {@link #update}.
     */
    public FloatingIp create(String projectId, String networkId, String portId) {
        String project = Fields.projectId(projectId);
        String nid = Fields.id("floating_network_id", networkId);
        String port = portId == null ? "" : portId;
        return tx.run(c -> {
            Network n = networks.findVisible(c, project, nid, Locking.SHARE)
                    .orElseThrow(() -> GrpcErrors.notFound("network", nid));
            if (!n.external()) {
                throw GrpcErrors.invalidArgument("floating_network_id", "network " + nid + " is not external");
            }
            quotas.reserve(c, project, QuotaResource.FLOATING_IPS, 1);
            String id = Ids.newId("fip");
            ExternalAddresses.Held held = external.allocate(c, nid, id);
            fips.insert(c, id, project, nid, held.subnet().id(), Ipv4.format(held.ip()));
            if (!port.isEmpty()) {
                associate(c, project, id, nid, port);
            }
            return fips.find(c, project, id, Locking.NONE).orElseThrow();
        });
    }

    public FloatingIp get(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String fid = Fields.id("id", id);
        return tx.run(c -> fips.find(c, project, fid, Locking.NONE)
                .orElseThrow(() -> GrpcErrors.notFound("floating IP", fid)));
    }

    public List<FloatingIp> list(String projectId) {
        String project = Fields.projectId(projectId);
        return tx.run(c -> fips.list(c, project));
    }

    /**
     * Associates the floating IP with {@code portId}, or disassociates it when
     * empty. ABORTED when {@code expectedVersion > 0} and the floating IP has
     * another version (a lost update); NOT_FOUND (floating IP, port);
     * FAILED_PRECONDITION when no router with a gateway on the floating IP's
     * network joins the port's subnet; ALREADY_EXISTS when the port has
     * another floating IP. Associating to the port it has is a no-op.
     */
    public FloatingIp update(String projectId, String id, String portId, int expectedVersion) {
        String project = Fields.projectId(projectId);
        String fid = Fields.id("id", id);
        String port = portId == null ? "" : portId;
        return tx.run(c -> {
            FloatingIp f = fips.find(c, project, fid, Locking.UPDATE)
                    .orElseThrow(() -> GrpcErrors.notFound("floating IP", fid));
            if (expectedVersion > 0 && f.version() != expectedVersion) {
                throw Status.ABORTED.withDescription("floating IP " + fid + " changed: version " + f.version()
                        + ", not " + expectedVersion + "; read it again").asRuntimeException();
            }
            if (port.equals(f.portId())) {
                return f;
            }
            if (port.isEmpty()) {
                fips.setPort(c, fid, null);
            } else {
                associate(c, project, fid, f.networkId(), port);
            }
            return fips.find(c, project, fid, Locking.NONE).orElseThrow();
        });
    }

    /** Deletes the floating IP and frees its address; 0 when it does not exist. */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String fid = Fields.id("id", id);
        return tx.run(c -> {
            if (fips.find(c, project, fid, Locking.UPDATE).isEmpty()) {
                return 0;
            }
            fips.delete(c, fid);
            external.free(c, fid);
            return 1;
        });
    }

    private void associate(Connection c, String project, String fid, String networkId, String portId)
            throws SQLException {
        Port p = ports.find(c, project, portId).orElseThrow(() -> GrpcErrors.notFound("port", portId));
        String routerId = routers.routerOfSubnet(c, p.subnetId(), Locking.SHARE)
                .orElseThrow(() -> GrpcErrors.failedPrecondition("port " + portId + " is on subnet " + p.subnetId()
                        + ", which no router joins; add the subnet to a router with a gateway on network "
                        + networkId + " first"));
        if (!networkId.equals(externalNetworkOf(c, routerId))) {
            throw GrpcErrors.failedPrecondition("router " + routerId + " of port " + portId
                    + " has no gateway on network " + networkId);
        }
        var other = fips.ofPort(c, portId);
        if (other.isPresent()) {
            throw GrpcErrors.alreadyExists("port " + portId + " has floating IP " + other.get() + " already");
        }
        try {
            fips.setPort(c, fid, portId);
        } catch (SQLException e) {
            if (SqlConstraints.isUniqueViolation(e, FloatingIpRepository.PORT_CONSTRAINT)) {
                throw GrpcErrors.alreadyExists("port " + portId + " got another floating IP meanwhile");
            }
            throw e;
        }
    }

    private static String externalNetworkOf(Connection c, String routerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT external_network_id FROM routers WHERE id = ?")) {
            ps.setString(1, routerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
