package io.virga.network.subnet;

import io.grpc.Status;
import io.virga.network.Fields;
import io.virga.network.Locking;
import io.virga.network.NetworkMetrics;
import io.virga.network.ipam.AddressFormatException;
import io.virga.network.ipam.Cidr;
import io.virga.network.ipam.Ipv4;
import io.virga.network.network.Network;
import io.virga.network.network.NetworkRepository;
import io.virga.platform.db.Tx;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import io.virga.network.port.PortRepository;
import io.virga.network.quota.QuotaResource;
import io.virga.network.quota.Quotas;
import java.util.List;

/**
 * Adds subnets to networks.
 *
 * <p>Contract of {@link #create}: preconditions — the caller owns the network;
 * the CIDR is a canonical IPv4 subnet /8…/30 outside reserved ranges; the
 * gateway (default: the first host address) is a host address of it; the CIDR
 * overlaps no other subnet of the network; pools, DNS servers and host routes
 * pass {@link SubnetOptions#validate}; the project's subnet quota has room. Afterwards the subnet exists and
 * its addresses can be allocated. Bad input changes nothing. Not idempotent:
 * a repeated call fails on the overlap with the first one.
 */
@ApplicationScoped
public class SubnetService {
    private final Tx tx;
    private final NetworkRepository networks;
    private final SubnetRepository subnets;
    private final NetworkMetrics metrics;
    private final Quotas quotas;
    private final PortRepository ports;
    private final io.virga.network.router.RouterUse routerUse;

    public SubnetService(Tx tx, NetworkRepository networks, SubnetRepository subnets, NetworkMetrics metrics,
            Quotas quotas, PortRepository ports, io.virga.network.router.RouterUse routerUse) {
        this.routerUse = routerUse;
        this.ports = ports;
        this.tx = tx;
        this.networks = networks;
        this.subnets = subnets;
        this.metrics = metrics;
        this.quotas = quotas;
    }

    /** The request of {@link #create}, as received (unvalidated; empty lists and strings for absent fields). */
    public record NewSubnet(String projectId, String networkId, String name, String cidr, String gatewayIp,
            List<SubnetOptions.RawPool> pools, List<String> dnsNameservers, List<SubnetOptions.RawRoute> hostRoutes) {
        /** A subnet with default pools, no DNS servers and no host routes. */
        public NewSubnet(String projectId, String networkId, String name, String cidr, String gatewayIp) {
            this(projectId, networkId, name, cidr, gatewayIp, List.of(), List.of(), List.of());
        }
    }

    public Subnet create(NewSubnet request) {
        String projectId = Fields.projectId(request.projectId());
        String networkId = Fields.id("network_id", request.networkId());
        String name = Fields.optionalName("name", request.name());
        Cidr cidr = parseCidr(request.cidr());
        long gateway = parseGateway(request.gatewayIp(), cidr);
        SubnetOptions options = SubnetOptions.validate(cidr, gateway, request.pools(), request.dnsNameservers(),
                request.hostRoutes());
        Subnet created = tx.run(c -> {
            // The exclusive network lock serialises subnet creation per network,
            // so two overlapping subnets cannot be added concurrently.
            Network network = networks.findVisible(c, projectId, networkId, Locking.UPDATE)
                    .orElseThrow(() -> GrpcErrors.notFound("network", networkId));
            if (!network.ownedBy(projectId)) {
                throw Status.PERMISSION_DENIED.withDescription("network " + networkId
                        + " is shared by another project; only its owner can add subnets").asRuntimeException();
            }
            List<Subnet> existing = subnets.listByNetwork(c, networkId, Locking.NONE);
            for (Subnet other : existing) {
                if (other.cidr().overlaps(cidr)) {
                    throw GrpcErrors.invalidArgument("cidr", cidr + " overlaps subnet " + other.id() + " ("
                            + other.cidr() + ") of network " + networkId);
                }
            }
            quotas.reserve(c, projectId, QuotaResource.SUBNETS, 1);
            return subnets.insert(c, Ids.newId("s"), networkId, projectId, name, cidr, gateway, options);
        });
        metrics.subnetCreated();
        return created;
    }

    /**
     * Deletes a subnet of the caller's network; answers 1, or 0 when it does
     * not exist (or belongs to another project). FAILED_PRECONDITION while
     * ports hold addresses of it. The network's exclusive lock orders it with
     * CreatePort (which share-locks the network, then locks the subnets), so a
     * port is either made first (then delete is refused) or sees no subnet.
     */
    public int delete(String projectId, String id) {
        String project = Fields.projectId(projectId);
        String subnetId = Fields.id("id", id);
        return tx.run(c -> {
            Subnet s = subnets.find(c, subnetId, Locking.NONE).filter(x -> x.projectId().equals(project))
                    .orElse(null);
            if (s == null) {
                return 0;
            }
            networks.findVisible(c, project, s.networkId(), Locking.UPDATE);
            long held = ports.countBySubnet(c, subnetId);
            if (held > 0) {
                throw GrpcErrors.failedPrecondition("subnet " + subnetId + " still has " + held
                        + (held == 1 ? " port" : " ports") + " with addresses of it; delete them first");
            }
            routerUse.refuseSubnetDelete(c, subnetId);
            return subnets.delete(c, subnetId) ? 1 : 0;
        });
    }

    private static Cidr parseCidr(String text) {
        try {
            return Cidr.parse(text);
        } catch (AddressFormatException e) {
            throw GrpcErrors.invalidArgument("cidr", e.getMessage());
        }
    }

    private static long parseGateway(String text, Cidr cidr) {
        if (text == null || text.isEmpty()) {
            return cidr.firstHost();
        }
        long gateway;
        try {
            gateway = Ipv4.parse(text);
        } catch (AddressFormatException e) {
            throw GrpcErrors.invalidArgument("gateway_ip", e.getMessage());
        }
        cidr.unusableReason(gateway, -1).ifPresent(reason -> {
            throw GrpcErrors.invalidArgument("gateway_ip", reason);
        });
        return gateway;
    }
}
