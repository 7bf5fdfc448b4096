package io.virga.network.secgroup;

import io.virga.network.ipam.Ipv4;
import io.virga.network.port.Port;
import io.virga.network.port.PortRepository;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective filter of ports, for the compute nodes that realise them: the
 * allow rules of every group of each port, a remote group expanded to the
 * /32 addresses of its member ports (read in one transaction, so a node sees
 * one consistent picture). Unknown port ids are left out.
 */
@ApplicationScoped
public class PortSecurityResolver {
    private final Tx tx;
    private final PortRepository ports;
    private final SecurityGroupRepository groups;

    public PortSecurityResolver(Tx tx, PortRepository ports, SecurityGroupRepository groups) {
        this.tx = tx;
        this.ports = ports;
        this.groups = groups;
    }

    /** One allow rule with its peers resolved: empty {@code remoteCidrs} means anywhere. */
    public record Resolved(String direction, String protocol, int portMin, int portMax, List<String> remoteCidrs) {
    }

    /** A port and its rules. */
    public record PortFilter(Port port, List<Resolved> rules) {
    }

    public List<PortFilter> resolve(List<String> portIds) {
        return tx.run(c -> {
            List<Port> found = ports.findAny(c, portIds);
            Map<String, List<String>> groupsOf = groups.groupsOfPorts(c, portIds);
            Set<String> allGroups = new HashSet<>();
            groupsOf.values().forEach(allGroups::addAll);
            Map<String, List<SecurityGroupRule>> rules = groups.rulesOf(c, allGroups);
            Set<String> remotes = new HashSet<>();
            rules.values().forEach(list -> list.stream().map(SecurityGroupRule::remoteGroupId)
                    .filter(r -> r != null).forEach(remotes::add));
            Map<String, List<String>> members = groups.memberAddresses(c, remotes);
            List<PortFilter> out = new ArrayList<>();
            for (Port p : found) {
                List<Resolved> resolved = new ArrayList<>();
                for (String g : groupsOf.getOrDefault(p.id(), List.of())) {
                    for (SecurityGroupRule r : rules.getOrDefault(g, List.of())) {
                        List<String> peers;
                        if (r.remoteGroupId() != null) {
                            peers = members.getOrDefault(r.remoteGroupId(), List.of()).stream()
                                    .filter(a -> !a.equals(Ipv4.format(p.ip()) + "/32")).toList();
                            if (peers.isEmpty()) {
                                continue; // a group with no other member allows nobody
                            }
                        } else {
                            peers = r.remoteCidr() == null ? List.of() : List.of(r.remoteCidr());
                        }
                        resolved.add(new Resolved(r.direction(), r.protocol(), r.portMin(), r.portMax(), peers));
                    }
                }
                out.add(new PortFilter(p, resolved));
            }
            return out;
        });
    }
}
