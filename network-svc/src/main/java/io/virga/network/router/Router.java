package io.virga.network.router;

import java.time.Instant;
import java.util.List;

/**
 * A router of a project: a gateway address on an external network (SNAT of
 * its joined subnets, 1:1 NAT of their floating IPs) and the subnets it
 * joins, whose gateway addresses it takes.
 *
 * <p>States: {@code ACTIVE} from creation until deleted; delete is refused
 * while it has interfaces. Interfaces: added (subnet joined) → removed
 * (refused while floating IPs are associated with ports of the subnet).
 */
public record Router(String id, String projectId, String name, String externalNetworkId, String gatewayIp,
        List<String> subnetIds, String status, Instant createdAt) {
    public static final String ACTIVE = "ACTIVE";
}
