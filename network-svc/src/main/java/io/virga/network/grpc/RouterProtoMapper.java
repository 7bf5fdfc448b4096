package io.virga.network.grpc;

import io.virga.contracts.network.v1.FloatingIp;
import io.virga.contracts.network.v1.NatBinding;
import io.virga.contracts.network.v1.Router;
import io.virga.contracts.network.v1.RouterLeg;
import io.virga.contracts.network.v1.RouterPlan;
import io.virga.network.router.RouterPlans;

/** Routers, floating IPs and router plans as contract messages. */
final class RouterProtoMapper {
    private RouterProtoMapper() {
    }

    static Router router(io.virga.network.router.Router r) {
        return Router.newBuilder().setId(r.id()).setProjectId(r.projectId()).setName(r.name())
                .setExternalNetworkId(r.externalNetworkId()).setGatewayIp(r.gatewayIp())
                .addAllSubnetIds(r.subnetIds()).setStatus(r.status()).setCreatedAt(r.createdAt().toString()).build();
    }

    static FloatingIp floatingIp(io.virga.network.floatingip.FloatingIp f) {
        return FloatingIp.newBuilder().setId(f.id()).setProjectId(f.projectId()).setFloatingNetworkId(f.networkId())
                .setFloatingIpAddress(f.ip()).setPortId(f.portId()).setFixedIpAddress(f.fixedIp())
                .setRouterId(f.routerId()).setVersion(f.version()).setCreatedAt(f.createdAt().toString())
                .setStatus(f.status()).build();
    }

    static RouterPlan plan(RouterPlans.Plan p) {
        RouterPlan.Builder b = RouterPlan.newBuilder().setRouterId(p.routerId()).setGateway(leg(p.gateway()))
                .setExternalGateway(p.externalGateway());
        p.interfaces().forEach(l -> b.addInterfaces(leg(l)));
        p.nat().forEach(n -> b.addFloatingIps(NatBinding.newBuilder().setFloatingIp(n.floatingIp())
                .setFixedIp(n.fixedIp())));
        return b.build();
    }

    private static RouterLeg leg(RouterPlans.Leg l) {
        return RouterLeg.newBuilder().setVni(l.vni()).setAddress(l.address()).build();
    }
}
