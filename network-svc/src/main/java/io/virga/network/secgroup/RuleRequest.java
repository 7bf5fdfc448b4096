package io.virga.network.secgroup;

import io.virga.network.ipam.AddressFormatException;
import io.virga.network.subnet.HostRoute;
import io.virga.platform.grpc.GrpcErrors;
import java.util.Set;

/**
 * A rule as received, and {@link #validate} — the one place rule fields are
 * checked (INVALID_ARGUMENT naming the field): direction ingress / egress;
 * protocol any (or empty), tcp, udp, icmp; a port range only with tcp / udp,
 * 1…65535 with min ≤ max (both 0: every port); at most one of remote CIDR
 * (canonical IPv4, e.g. 0.0.0.0/0) and remote group.
 */
public record RuleRequest(String direction, String protocol, int portMin, int portMax, String remoteCidr,
        String remoteGroupId) {
    private static final Set<String> PROTOCOLS = Set.of("any", "tcp", "udp", "icmp");

    /** The checked rule: normalised protocol and remote fields (null when absent). */
    public RuleRequest validate() {
        if (!SecurityGroupRule.INGRESS.equals(direction) && !SecurityGroupRule.EGRESS.equals(direction)) {
            throw GrpcErrors.invalidArgument("direction", "must be ingress or egress, got '" + direction + "'");
        }
        String proto = protocol == null || protocol.isEmpty() ? "any" : protocol.toLowerCase();
        if (!PROTOCOLS.contains(proto)) {
            throw GrpcErrors.invalidArgument("protocol", "must be one of any, tcp, udp, icmp, got '" + protocol + "'");
        }
        if (portMin != 0 || portMax != 0) {
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                throw GrpcErrors.invalidArgument("port_range_min", "port ranges need protocol tcp or udp");
            }
            if (portMin < 1 || portMin > 65535) {
                throw GrpcErrors.invalidArgument("port_range_min", "must be 1-65535, got " + portMin);
            }
            if (portMax < portMin || portMax > 65535) {
                throw GrpcErrors.invalidArgument("port_range_max", "must be " + portMin + "-65535, got " + portMax);
            }
        }
        String cidr = remoteCidr == null || remoteCidr.isEmpty() ? null : remoteCidr;
        String group = remoteGroupId == null || remoteGroupId.isEmpty() ? null : remoteGroupId;
        if (cidr != null && group != null) {
            throw GrpcErrors.invalidArgument("remote_ip_prefix", "give remote_ip_prefix or remote_group_id, not both");
        }
        if (cidr != null) {
            try {
                HostRoute.parseDestination(cidr);
            } catch (AddressFormatException e) {
                throw GrpcErrors.invalidArgument("remote_ip_prefix", e.getMessage());
            }
        }
        return new RuleRequest(direction, proto, portMin, portMax, cidr, group);
    }
}
