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
import java.util.List;

/**
 * Adds subnets to networks.
 *
 * <p>Contract of {@link #create}: preconditions — the caller owns the network;
 * the CIDR is a canonical IPv4 subnet /8…/30 outside reserved ranges; the
 * gateway (default: the first host address) is a host address of it; the CIDR
 * overlaps no other subnet of the network. Afterwards the subnet exists and
 * its addresses can be allocated. Bad input changes nothing. Not idempotent:
 * a repeated call fails on the overlap with the first one.
 */
@ApplicationScoped
public class SubnetService {
    private final Tx tx;
    private final NetworkRepository networks;
    private final SubnetRepository subnets;
    private final NetworkMetrics metrics;

    public SubnetService(Tx tx, NetworkRepository networks, SubnetRepository subnets, NetworkMetrics metrics) {
        this.tx = tx;
        this.networks = networks;
        this.subnets = subnets;
        this.metrics = metrics;
    }

    /** The request of {@link #create}, as received (unvalidated). */
    public record NewSubnet(String projectId, String networkId, String name, String cidr, String gatewayIp) {
    }

    public Subnet create(NewSubnet request) {
        String projectId = Fields.projectId(request.projectId());
        String networkId = Fields.id("network_id", request.networkId());
        String name = Fields.name("name", request.name());
        Cidr cidr = parseCidr(request.cidr());
        long gateway = parseGateway(request.gatewayIp(), cidr);
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
            return subnets.insert(c, Ids.newId("s"), networkId, projectId, name, cidr, gateway);
        });
        metrics.subnetCreated();
        return created;
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
