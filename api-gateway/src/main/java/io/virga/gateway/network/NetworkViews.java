package io.virga.gateway.network;

import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import java.util.List;

/** JSON shapes of network-svc resources. */
public final class NetworkViews {
    private NetworkViews() {
    }

    public record NetworkView(String id, String projectId, String name, long vni, boolean shared, String status,
            List<SubnetView> subnets, String createdAt, boolean external) {
        static NetworkView of(Network n) {
            return new NetworkView(n.getId(), n.getProjectId(), n.getName(), n.getVni(), n.getShared(),
                    n.getStatus(), n.getSubnetsList().stream().map(SubnetView::of).toList(), n.getCreatedAt(),
                    n.getExternal());
        }
    }

    public record SubnetView(String id, String networkId, String projectId, String name, String cidr,
            String gatewayIp, List<Pool> allocationPools, List<String> dnsNameservers, List<Route> hostRoutes,
            String createdAt) {
        static SubnetView of(Subnet s) {
            return new SubnetView(s.getId(), s.getNetworkId(), s.getProjectId(), s.getName(), s.getCidr(),
                    s.getGatewayIp(),
                    s.getAllocationPoolsList().stream().map(p -> new Pool(p.getStart(), p.getEnd())).toList(),
                    s.getDnsNameserversList(),
                    s.getHostRoutesList().stream().map(r -> new Route(r.getDestination(), r.getNexthop())).toList(),
                    s.getCreatedAt());
        }
    }

    public record RouterView(String id, String projectId, String name, String externalNetworkId, String gatewayIp,
            List<String> subnetIds, String status, String createdAt) {
        static RouterView of(io.virga.contracts.network.v1.Router r) {
            return new RouterView(r.getId(), r.getProjectId(), r.getName(), r.getExternalNetworkId(),
                    r.getGatewayIp(), r.getSubnetIdsList(), r.getStatus(), r.getCreatedAt());
        }
    }

    /** A floating IP; {@code port_id}, {@code fixed_ip_address}, {@code router_id} are null when not associated. */
    public record FloatingIpView(String id, String projectId, String floatingNetworkId, String floatingIpAddress,
            String portId, String fixedIpAddress, String routerId, String status, String createdAt) {
        static FloatingIpView of(io.virga.contracts.network.v1.FloatingIp f) {
            return new FloatingIpView(f.getId(), f.getProjectId(), f.getFloatingNetworkId(),
                    f.getFloatingIpAddress(), blankToNull(f.getPortId()), blankToNull(f.getFixedIpAddress()),
                    blankToNull(f.getRouterId()), f.getStatus(), f.getCreatedAt());
        }
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** An allocation pool: {@code {"start": "10.0.0.10", "end": "10.0.0.99"}}. */
    public record Pool(String start, String end) {
    }

    /** A host route: {@code {"destination": "192.168.0.0/16", "nexthop": "10.0.0.254"}}. */
    public record Route(String destination, String nexthop) {
    }

    public record PortView(String id, String projectId, String networkId, String subnetId, String macAddress,
            String ipAddress, String deviceId, String status, List<String> securityGroups, String createdAt) {
        static PortView of(Port p) {
            return new PortView(p.getId(), p.getProjectId(), p.getNetworkId(), p.getSubnetId(), p.getMacAddress(),
                    p.getIpAddress(), p.getDeviceId().isEmpty() ? null : p.getDeviceId(), p.getStatus(),
                    p.getSecurityGroupIdsList(), p.getCreatedAt());
        }
    }
}
