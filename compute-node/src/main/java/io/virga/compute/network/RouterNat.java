package io.virga.compute.network;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Renders a router's NAT as one {@code nft -f} script for its namespace that
 * replaces the previous table atomically: {@code ip vrt_nat} with
 * <ul>
 * <li>prerouting: a floating IP's traffic is sent to its fixed address (DNAT);</li>
 * <li>postrouting, out of the gateway leg: a fixed address with a floating IP
 * leaves as that floating IP, every other address of the joined subnets as
 * the router's gateway address (SNAT).</li>
 * </ul>
 * Replies follow conntrack. Equal plans give equal text.
 */
public final class RouterNat {
    public static final String TABLE = "vrt_nat";

    private RouterNat() {
    }

    public static String render(RouterPlan p) {
        p.check();
        String out = "\"" + RouterLegs.gatewayLeg(p) + "\"";
        StringBuilder s = new StringBuilder();
        s.append("table ip ").append(TABLE).append(" {}\n");
        s.append("delete table ip ").append(TABLE).append('\n');
        s.append("table ip ").append(TABLE).append(" {\n");
        s.append("  chain pre {\n    type nat hook prerouting priority -100; policy accept;\n");
        for (RouterPlan.Nat n : p.nat()) {
            s.append("    ip daddr ").append(n.floatingIp()).append(" dnat to ").append(n.fixedIp()).append('\n');
        }
        s.append("  }\n  chain post {\n    type nat hook postrouting priority 100; policy accept;\n");
        for (RouterPlan.Nat n : p.nat()) {
            s.append("    oifname ").append(out).append(" ip saddr ").append(n.fixedIp()).append(" snat to ")
                    .append(n.floatingIp()).append('\n');
        }
        Set<String> subnets = new LinkedHashSet<>();
        p.interfaces().forEach(l -> subnets.add(l.subnet()));
        if (!subnets.isEmpty()) {
            s.append("    oifname ").append(out).append(" ip saddr ")
                    .append(subnets.size() == 1 ? subnets.iterator().next() : "{ " + String.join(", ", subnets) + " }")
                    .append(" snat to ").append(p.gateway().ip()).append('\n');
        }
        s.append("  }\n}\n");
        return s.toString();
    }
}
