package io.virga.network.router;

import io.virga.network.Fields;
import io.virga.network.Locking;
import io.virga.network.network.Network;
import io.virga.network.network.NetworkRepository;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import io.virga.network.subnet.Subnet;
import io.virga.network.subnet.SubnetRepository;
import io.virga.platform.db.Tx;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Routers of a project (see {@link Router} for the states). Every change
 * runs in one transaction; a refused call changes nothing.
 *
 * <p>Concurrency: interface changes and delete hold the router's row lock
 * (FOR UPDATE), so a delete never misses an interface being added and two
 * overlapping subnets never join one router together; associating a
 * floating IP share-locks the interface row it relies on, so removing that
 * interface either waits and then sees the floating IP (refused) or wins
 * and the association fails.
 */
@ApplicationScoped
public class RouterService {
    private final Tx tx;
    private final RouterRepository routers;
    private final NetworkRepository networks;
    private final SubnetRepository subnets;
    private final ExternalAddresses external;
    private final Quotas quotas;

    public RouterService(Tx tx, RouterRepository routers, NetworkRepository networks, SubnetRepository subnets,
            ExternalAddresses external, Quotas quotas) {
        this.tx = tx;
        this.routers = routers;
        this.networks = networks;
        this.subnets = subnets;
        this.external = external;
        this.quotas = quotas;
    }

    /**
     * Creates a router with a gateway address on the external network.
     * INVALID_ARGUMENT when the network is not external, NOT_FOUND when not
     * visible, RESOURCE_EXHAUSTED for the quota or a full external network.
     */
    public Router create(String projectId, String name, String externalNetworkId) {
        String project = Fields.projectId(projectId);
        String validName = Fields.name("name", name);
        String networkId = Fields.id("external_network_id", externalNetworkId);
        return tx.run(c -> {
            Network n = networks.findVisible(c, project, networkId, Locking.SHARE)
                    .orElseThrow(() -> GrpcErrors.notFound("network", networkId));
            if (!n.external()) {
                throw GrpcErrors.invalidArgument("external_network_id", "network " + networkId
                        + " is not an external network");
            }
            quotas.reserve(c, project, QuotaResource.ROUTERS, 1);
            String id = Ids.newId("r");
            ExternalAddresses.Held gw = external.allocate(c, networkId, id);
            return routers.insert(c, id, project, validName, networkId, gw.subnet().id(),
                    io.virga.network.ipam.Ipv4.format(gw.ip()));
        });
    }

    /** The project's router, else NOT_FOUND. */
    public Router get(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String routerId = Fields.id("id", id);
        return tx.run(c -> routers.find(c, project, routerId, Locking.NONE)
                .orElseThrow(() -> GrpcErrors.notFound("router", routerId)));
    }

    public List<Router> list(String projectId) {
        String project = Fields.projectId(projectId);
        return tx.run(c -> routers.list(c, project));
    }

    /**
     * Deletes the project's router and frees its gateway address; answers 0
     * when it does not exist. FAILED_PRECONDITION while it has interfaces.
     */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String routerId = Fields.id("id", id);
        return tx.run(c -> {
            Router r = routers.find(c, project, routerId, Locking.UPDATE).orElse(null);
            if (r == null) {
                return 0;
            }
            if (!r.subnetIds().isEmpty()) {
                throw GrpcErrors.failedPrecondition("router " + routerId + " still joins " + r.subnetIds().size()
                        + " subnet(s) " + r.subnetIds() + "; remove its interfaces (and their floating IPs) first");
            }
            routers.delete(c, routerId);
            external.free(c, routerId);
            return 1;
        });
    }

    /**
     * Joins a subnet of the project to the router. Idempotent for the same
     * router; ALREADY_EXISTS when another router joins it; INVALID_ARGUMENT
     * when it is a subnet of an external network or overlaps a subnet the
     * router joins already.
     */
    public Router addInterface(String projectId, String routerId, String subnetId) {
        String project = Fields.projectId(projectId);
        String rid = Fields.id("router_id", routerId);
        String sid = Fields.id("subnet_id", subnetId);
        return tx.run(c -> {
            Router r = routers.find(c, project, rid, Locking.UPDATE)
                    .orElseThrow(() -> GrpcErrors.notFound("router", rid));
            Subnet s = ownSubnet(c, project, sid, Locking.SHARE);
            Network n = networks.findVisible(c, project, s.networkId(), Locking.NONE).orElseThrow();
            if (n.external()) {
                throw GrpcErrors.invalidArgument("subnet_id", "subnet " + sid + " is on an external network");
            }
            var current = routers.routerOfSubnet(c, sid, Locking.NONE);
            if (current.isPresent()) {
                if (current.get().equals(rid)) {
                    return r;
                }
                throw GrpcErrors.alreadyExists("subnet " + sid + " is joined to router " + current.get()
                        + " already");
            }
            for (String other : r.subnetIds()) {
                Subnet o = subnets.find(c, other, Locking.NONE).orElseThrow();
                if (o.cidr().overlaps(s.cidr())) {
                    throw GrpcErrors.invalidArgument("subnet_id", "subnet " + sid + " (" + s.cidr()
                            + ") overlaps subnet " + other + " (" + o.cidr() + ") of router " + rid);
                }
            }
            routers.addInterface(c, rid, sid);
            return routers.find(c, project, rid, Locking.NONE).orElseThrow();
        });
    }

    /**
     * Removes the router's interface on the subnet. NOT_FOUND when the router
     * does not join it; FAILED_PRECONDITION while floating IPs are associated
     * with ports of the subnet.
     */
    public Router removeInterface(String projectId, String routerId, String subnetId) {
        String project = Fields.projectId(projectId);
        String rid = Fields.id("router_id", routerId);
        String sid = Fields.id("subnet_id", subnetId);
        return tx.run(c -> {
            routers.find(c, project, rid, Locking.UPDATE).orElseThrow(() -> GrpcErrors.notFound("router", rid));
            if (!routers.routerOfSubnet(c, sid, Locking.UPDATE).filter(rid::equals).isPresent()) {
                throw GrpcErrors.notFound("router interface", rid + "/" + sid);
            }
            long fips = RouterUse.count(c, "SELECT count(*) FROM floating_ips f JOIN ports p ON p.id = f.port_id"
                    + " WHERE p.subnet_id = ?", sid);
            if (fips > 0) {
                throw GrpcErrors.failedPrecondition("subnet " + sid + " has " + fips + " floating IP(s) associated"
                        + " with its ports through router " + rid + "; disassociate them first");
            }
            routers.removeInterface(c, rid, sid);
            return routers.find(c, project, rid, Locking.NONE).orElseThrow();
        });
    }

    private Subnet ownSubnet(Connection c, String project, String sid, Locking locking) throws SQLException {
        return subnets.find(c, sid, locking).filter(s -> s.projectId().equals(project))
                .orElseThrow(() -> GrpcErrors.notFound("subnet", sid));
    }
}
