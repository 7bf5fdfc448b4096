package io.virga.network.network;

import io.grpc.Status;
import io.virga.network.Fields;
import io.virga.network.Locking;
import io.virga.network.NetworkMetrics;
import io.virga.network.port.PortRepository;
import io.virga.network.subnet.Subnet;
import io.virga.network.subnet.SubnetRepository;
import io.virga.platform.db.Tx;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import java.util.List;
import java.util.Map;

/**
 * Networks of a project. Visibility: a project sees its own networks and
 * every shared network; any other network is NOT_FOUND (its existence is
 * never revealed). Only the owner may delete a network.
 *
 * <p>Lifecycle: create → ACTIVE → delete. Delete is refused
 * (FAILED_PRECONDITION) while any port exists on the network, whoever owns
 * the port; otherwise it deletes the network's subnets with it.
 */
@ApplicationScoped
public class NetworkService {
    private final Tx tx;
    private final NetworkRepository networks;
    private final SubnetRepository subnets;
    private final PortRepository ports;
    private final NetworkMetrics metrics;
    private final Quotas quotas;
    private final io.virga.network.router.RouterUse routerUse;

    public NetworkService(Tx tx, NetworkRepository networks, SubnetRepository subnets, PortRepository ports,
            NetworkMetrics metrics, Quotas quotas, io.virga.network.router.RouterUse routerUse) {
        this.routerUse = routerUse;
        this.quotas = quotas;
        this.tx = tx;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.metrics = metrics;
    }

    /**
     * Creates an ACTIVE network with a VNI unique among all networks. Not
     * idempotent (two calls make two networks). Whether the caller may create
     * a shared network is the gateway's decision (cloud admins only).
     */
    public NetworkWithSubnets create(String projectId, String name, boolean shared) {
        return create(projectId, name, shared, false);
    }

    /**
     * As {@link #create(String, String, boolean)}; {@code external} marks a
     * network for router gateways and floating IPs (visible to every project,
     * no guest ports). Whether the caller may is the gateway's decision.
     */
    public NetworkWithSubnets create(String projectId, String name, boolean shared, boolean external) {
        String project = Fields.projectId(projectId);
        String validName = Fields.name("name", name);
        Network network = tx.run(c -> {
            quotas.reserve(c, project, QuotaResource.NETWORKS, 1);
            return networks.insert(c, Ids.newId("n"), project, validName, shared, external);
        });
        metrics.networkCreated();
        return new NetworkWithSubnets(network, List.of());
    }

    /** The network if visible to the project, else NOT_FOUND. */
    public NetworkWithSubnets get(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String networkId = Fields.id("id", id);
        return tx.run(c -> {
            Network n = networks.findVisible(c, project, networkId, Locking.NONE)
                    .orElseThrow(() -> GrpcErrors.notFound("network", networkId));
            return new NetworkWithSubnets(n, subnets.listByNetwork(c, n.id(), Locking.NONE));
        });
    }

    /** The project's networks and all shared networks, oldest first. */
    public List<NetworkWithSubnets> list(String projectId) {
        String project = Fields.projectId(projectId);
        return tx.run(c -> {
            List<Network> visible = networks.listVisible(c, project);
            Map<String, List<Subnet>> byNetwork = subnets.listByNetworks(c, visible.stream().map(Network::id).toList());
            return visible.stream()
                    .map(n -> new NetworkWithSubnets(n, byNetwork.getOrDefault(n.id(), List.of())))
                    .toList();
        });
    }

    /**
     * Deletes a network of the caller's project with its subnets; answers 1.
     * NOT_FOUND when not visible, PERMISSION_DENIED for a shared network of
     * another project, FAILED_PRECONDITION while ports exist. The exclusive
     * row lock makes a concurrent CreatePort (which share-locks the network)
     * either finish first (then delete is refused) or see no network.
     */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String networkId = Fields.id("id", id);
        return tx.run(c -> {
            Network n = networks.findVisible(c, project, networkId, Locking.UPDATE)
                    .orElseThrow(() -> GrpcErrors.notFound("network", networkId));
            if (!n.ownedBy(project)) {
                throw Status.PERMISSION_DENIED.withDescription("network " + networkId
                        + " is shared by another project; only its owner can delete it").asRuntimeException();
            }
            int portCount = ports.countByNetwork(c, networkId);
            if (portCount > 0) {
                throw GrpcErrors.failedPrecondition("network " + networkId + " still has " + portCount
                        + (portCount == 1 ? " port" : " ports") + "; delete them first");
            }
            routerUse.refuseNetworkDelete(c, networkId);
            subnets.deleteByNetwork(c, networkId);
            return networks.delete(c, networkId) ? 1 : 0;
        });
    }
}
