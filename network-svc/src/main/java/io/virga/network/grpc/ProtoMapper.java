package io.virga.network.grpc;

import io.virga.contracts.network.v1.AllocationPool;
import io.virga.contracts.network.v1.HostRoute;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.network.ipam.Ipv4;
import io.virga.network.network.NetworkWithSubnets;

/** Domain records to contract messages (timestamps as RFC 3339 UTC). */
final class ProtoMapper {
    private ProtoMapper() {
    }

    static Network network(NetworkWithSubnets view) {
        io.virga.network.network.Network n = view.network();
        Network.Builder b = Network.newBuilder()
                .setId(n.id())
                .setProjectId(n.projectId())
                .setName(n.name())
                .setVni(n.vni())
                .setShared(n.shared())
                .setExternal(n.external())
                .setStatus(n.status())
                .setCreatedAt(n.createdAt().toString());
        view.subnets().forEach(s -> b.addSubnets(subnet(s)));
        return b.build();
    }

    static Subnet subnet(io.virga.network.subnet.Subnet s) {
        Subnet.Builder b = Subnet.newBuilder();
        s.options().pools().forEach(p -> b.addAllocationPools(AllocationPool.newBuilder()
                .setStart(Ipv4.format(p.first())).setEnd(Ipv4.format(p.last()))));
        s.options().dnsNameservers().forEach(d -> b.addDnsNameservers(Ipv4.format(d)));
        s.options().hostRoutes().forEach(r -> b.addHostRoutes(HostRoute.newBuilder()
                .setDestination(r.destination()).setNexthop(Ipv4.format(r.nexthop()))));
        return b
                .setId(s.id())
                .setNetworkId(s.networkId())
                .setProjectId(s.projectId())
                .setName(s.name())
                .setCidr(s.cidr().toString())
                .setGatewayIp(Ipv4.format(s.gateway()))
                .setCreatedAt(s.createdAt().toString())
                .build();
    }

    static Port port(io.virga.network.port.Port p) {
        return Port.newBuilder()
                .setId(p.id())
                .setProjectId(p.projectId())
                .setNetworkId(p.networkId())
                .setSubnetId(p.subnetId())
                .setMacAddress(p.macAddress())
                .setIpAddress(Ipv4.format(p.ip()))
                .setDeviceId(p.deviceId())
                .setStatus(p.status())
                .setCreatedAt(p.createdAt().toString())
                .addAllSecurityGroupIds(p.securityGroupIds())
                .setAutoDelete(p.autoDelete())
                .build();
    }
}
