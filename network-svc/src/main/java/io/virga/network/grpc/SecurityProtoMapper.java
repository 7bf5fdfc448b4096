package io.virga.network.grpc;

import io.virga.contracts.network.v1.NetworkQuota;
import io.virga.contracts.network.v1.NetworkQuotas;
import io.virga.contracts.network.v1.PortSecurity;
import io.virga.contracts.network.v1.ResolvedRule;
import io.virga.contracts.network.v1.SecurityGroup;
import io.virga.contracts.network.v1.SecurityGroupRule;
import io.virga.network.ipam.Ipv4;
import io.virga.network.quota.Quotas;
import io.virga.network.secgroup.PortSecurityResolver;
import java.util.List;

/** Security groups, resolved port filters and quotas to contract messages. */
final class SecurityProtoMapper {
    private SecurityProtoMapper() {
    }

    static SecurityGroup group(io.virga.network.secgroup.SecurityGroup g) {
        SecurityGroup.Builder b = SecurityGroup.newBuilder().setId(g.id()).setProjectId(g.projectId())
                .setName(g.name()).setDescription(g.description()).setCreatedAt(g.createdAt().toString());
        g.rules().forEach(r -> b.addRules(rule(r)));
        return b.build();
    }

    static SecurityGroupRule rule(io.virga.network.secgroup.SecurityGroupRule r) {
        return SecurityGroupRule.newBuilder().setId(r.id()).setSecurityGroupId(r.groupId())
                .setDirection(r.direction()).setProtocol(r.protocol())
                .setPortRangeMin(r.portMin()).setPortRangeMax(r.portMax())
                .setRemoteIpPrefix(r.remoteCidr() == null ? "" : r.remoteCidr())
                .setRemoteGroupId(r.remoteGroupId() == null ? "" : r.remoteGroupId())
                .setCreatedAt(r.createdAt().toString()).build();
    }

    static PortSecurity portSecurity(PortSecurityResolver.PortFilter f) {
        PortSecurity.Builder b = PortSecurity.newBuilder().setPortId(f.port().id())
                .setNetworkId(f.port().networkId()).setIpAddress(Ipv4.format(f.port().ip()))
                .setMacAddress(f.port().macAddress());
        f.rules().forEach(r -> b.addRules(ResolvedRule.newBuilder().setDirection(r.direction())
                .setProtocol(r.protocol()).setPortRangeMin(r.portMin()).setPortRangeMax(r.portMax())
                .addAllRemoteCidrs(r.remoteCidrs())));
        return b.build();
    }

    static NetworkQuotas quotas(List<Quotas.Usage> usage) {
        NetworkQuotas.Builder b = NetworkQuotas.newBuilder();
        usage.forEach(u -> b.addQuotas(NetworkQuota.newBuilder().setResource(u.resource().wireName())
                .setLimit(u.limit()).setUsed((int) u.used())));
        return b.build();
    }
}
