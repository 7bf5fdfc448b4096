package io.virga.compute.network;

import java.util.List;

/**
 * What a compute node enforces for one port: its identity on the wire (MAC
 * and IPv4 address on the network with VXLAN id {@code vni}, host device
 * {@code device}) and its allow rules (resolved by network-svc: a remote
 * group is already a list of addresses). Traffic to or from the port that no
 * rule allows is dropped; replies to allowed connections pass (stateful).
 */
public record PortFilter(String portId, int vni, String device, String mac, String ip, List<Rule> rules) {

    /**
     * One allow rule.
     *
     * @param ingress     true: to the port; false: from it
     * @param protocol    any, tcp, udp or icmp
     * @param portMin     first tcp / udp port, 0 for all
     * @param portMax     last tcp / udp port, 0 for all
     * @param remoteCidrs the peers (IPv4 CIDRs); empty = anywhere
     */
    public record Rule(boolean ingress, String protocol, int portMin, int portMax, List<String> remoteCidrs) {
    }
}
