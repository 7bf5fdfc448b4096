package io.virga.gateway.network;

import io.virga.contracts.network.v1.AllocationPool;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.HostRoute;

/** Copies a subnet body's optional lists to the gRPC request (network-svc validates them, naming the field). */
final class SubnetOptionsWire {
    private SubnetOptionsWire() {
    }

    static void copy(NetworkResource.CreateSubnet body, CreateSubnetRequest.Builder req) {
        if (body.allocationPools() != null) {
            body.allocationPools().forEach(p -> req.addAllocationPools(AllocationPool.newBuilder()
                    .setStart(p == null || p.start() == null ? "" : p.start())
                    .setEnd(p == null || p.end() == null ? "" : p.end())));
        }
        if (body.dnsNameservers() != null) {
            body.dnsNameservers().forEach(d -> req.addDnsNameservers(d == null ? "" : d));
        }
        if (body.hostRoutes() != null) {
            body.hostRoutes().forEach(r -> req.addHostRoutes(HostRoute.newBuilder()
                    .setDestination(r == null || r.destination() == null ? "" : r.destination())
                    .setNexthop(r == null || r.nexthop() == null ? "" : r.nexthop())));
        }
    }
}
