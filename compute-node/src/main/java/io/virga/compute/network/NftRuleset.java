package io.virga.compute.network;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders the whole filter of a node's ports as one {@code nft -f} script that
 * replaces the previous one atomically (one netlink transaction: no moment
 * without rules, no stale rule after it). Two tables:
 *
 * <ul>
 * <li>{@code bridge vn_guard}: anti-spoofing on each port's host device — a
 * guest may only send with its own MAC, IPv4 source and ARP sender address.</li>
 * <li>{@code inet vn_sg}: the security groups, stateful. Bridged IPv4 traffic
 * passes the inet forward hook (br_netfilter) with the bridge as in- and
 * out-interface; the guard makes (bridge, address) name exactly one port.
 * Established / related traffic passes; a packet from a port must pass its
 * egress chain (allowed → {@code return}), then a packet to a port its ingress
 * chain (allowed → {@code accept}); both end in drop.</li>
 * </ul>
 */
public final class NftRuleset {
    public static final String GUARD_TABLE = "vn_guard";
    public static final String SG_TABLE = "vn_sg";
    private static final Pattern CIDR = Pattern.compile("[0-9.]+(/[0-9]{1,2})?");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private NftRuleset() {
    }

    /** The script for {@code ports} (any order; rendered sorted by port id, so equal input gives equal text). */
    public static String render(List<PortFilter> ports) {
        List<PortFilter> sorted = ports.stream().sorted(Comparator.comparing(PortFilter::portId)).toList();
        sorted.forEach(NftRuleset::check);
        StringBuilder s = new StringBuilder();
        s.append("table bridge ").append(GUARD_TABLE).append(" {}\n");
        s.append("delete table bridge ").append(GUARD_TABLE).append("\n");
        s.append("table inet ").append(SG_TABLE).append(" {}\n");
        s.append("delete table inet ").append(SG_TABLE).append("\n");
        s.append("table bridge ").append(GUARD_TABLE).append(" {\n");
        s.append("  chain prerouting {\n    type filter hook prerouting priority -200; policy accept;\n");
        for (PortFilter p : sorted) {
            String dev = quote(p.device());
            s.append("    iifname ").append(dev).append(" ether saddr != ").append(p.mac()).append(" drop\n");
            s.append("    iifname ").append(dev).append(" ether type ip ip saddr != ").append(p.ip()).append(" drop\n");
            s.append("    iifname ").append(dev).append(" ether type arp arp saddr ip != ").append(p.ip())
                    .append(" drop\n");
            s.append("    iifname ").append(dev).append(" ether type ip6 drop\n");
        }
        s.append("  }\n}\n");
        s.append("table inet ").append(SG_TABLE).append(" {\n");
        for (PortFilter p : sorted) {
            chain(s, p, false);
            chain(s, p, true);
        }
        s.append("  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
        s.append("    ct state established,related accept\n    ct state invalid drop\n");
        for (PortFilter p : sorted) {
            s.append("    iifname ").append(quote(Names.bridge(p.vni()))).append(" ip saddr ").append(p.ip())
                    .append(" jump ").append(Names.chain("out", p.portId())).append("\n");
        }
        for (PortFilter p : sorted) {
            s.append("    oifname ").append(quote(Names.bridge(p.vni()))).append(" ip daddr ").append(p.ip())
                    .append(" jump ").append(Names.chain("in", p.portId())).append("\n");
        }
        s.append("  }\n}\n");
        return s.toString();
    }

    private static void chain(StringBuilder s, PortFilter p, boolean ingress) {
        s.append("  chain ").append(Names.chain(ingress ? "in" : "out", p.portId())).append(" {\n");
        for (PortFilter.Rule r : p.rules()) {
            if (r.ingress() != ingress) {
                continue;
            }
            StringBuilder line = new StringBuilder("    ");
            if (!r.remoteCidrs().isEmpty()) {
                line.append("ip ").append(ingress ? "saddr " : "daddr ").append(set(r.remoteCidrs())).append(' ');
            }
            switch (r.protocol()) {
                case "tcp", "udp" -> {
                    line.append("meta l4proto ").append(r.protocol()).append(' ');
                    if (r.portMin() > 0) {
                        line.append(r.protocol()).append(" dport ").append(r.portMin());
                        if (r.portMax() > r.portMin()) {
                            line.append('-').append(r.portMax());
                        }
                        line.append(' ');
                    }
                }
                case "icmp" -> line.append("meta l4proto icmp ");
                case "any" -> line.append("meta nfproto ipv4 ");
                default -> throw new IllegalArgumentException("unknown protocol " + r.protocol());
            }
            line.append(ingress ? "accept" : "return");
            s.append(line).append('\n');
        }
        s.append("    drop\n  }\n");
    }

    private static String set(List<String> cidrs) {
        cidrs.forEach(c -> {
            if (!CIDR.matcher(c).matches()) {
                throw new IllegalArgumentException("not an IPv4 CIDR: " + c);
            }
        });
        return cidrs.size() == 1 ? cidrs.get(0) : "{ " + String.join(", ", cidrs) + " }";
    }

    private static void check(PortFilter p) {
        if (!MAC.matcher(p.mac()).matches() || !CIDR.matcher(p.ip()).matches() || p.ip().contains("/")
                || !p.device().matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("bad port filter " + p);
        }
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
