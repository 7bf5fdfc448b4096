package io.virga.compute.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legs of a router namespace: {@code qg-<vni>} on the external network
 * (its gateway address and every floating IP as a /32, so it answers ARP
 * for them), {@code qr-<vni>} per joined network (the gateway addresses of
 * the joined subnets of that network). The host end of a leg, in the
 * bridge's namespace, is {@code vr<hash>} (13 characters); the router's end
 * has a MAC derived from the router and network ({@link #mac}).
 */
final class RouterLegs {
    static final String GATEWAY = "qg-";
    static final String INTERFACE = "qr-";

    private RouterLegs() {
    }

    /** A leg: its name in the router namespace, its network and the addresses it carries. */
    record Leg(String name, int vni, List<String> addresses) {
    }

    static String gatewayLeg(RouterPlan p) {
        return GATEWAY + p.gateway().vni();
    }

    /** The host-side end of a router's leg on network {@code vni}. */
    static String hostEnd(String routerId, int vni) {
        return "vr" + Names.hash(routerId + "/" + vni, 11);
    }

    /**
     * The MAC of a router's leg on network {@code vni}: stable across
     * re-creations and restarts (locally administered, from the router id), so
     * that guests' ARP caches stay right when a leg is made again.
     */
    static String mac(String routerId, int vni) {
        String h = Names.hash("mac/" + routerId + "/" + vni, 10);
        return "02:" + h.substring(0, 2) + ":" + h.substring(2, 4) + ":" + h.substring(4, 6) + ":" + h.substring(6, 8)
                + ":" + h.substring(8, 10);
    }

    /** The VNI a leg name stands for, or -1 when it is not a leg of ours. */
    static int vniOf(String legName) {
        String digits = legName.startsWith(GATEWAY) ? legName.substring(GATEWAY.length())
                : legName.startsWith(INTERFACE) ? legName.substring(INTERFACE.length()) : "";
        return digits.matches("[1-9][0-9]{0,7}") ? Integer.parseInt(digits) : -1;
    }

    /** Every leg the plan wants, by name (gateway first). */
    static Map<String, Leg> wanted(RouterPlan p) {
        Map<String, Leg> out = new LinkedHashMap<>();
        List<String> gw = new ArrayList<>();
        gw.add(p.gateway().address());
        p.nat().forEach(n -> gw.add(n.floatingIp() + "/32"));
        out.put(gatewayLeg(p), new Leg(gatewayLeg(p), p.gateway().vni(), gw));
        for (RouterPlan.Leg l : p.interfaces()) {
            String name = INTERFACE + l.vni();
            Leg prior = out.get(name);
            List<String> addresses = prior == null ? new ArrayList<>() : new ArrayList<>(prior.addresses());
            addresses.add(l.address());
            out.put(name, new Leg(name, l.vni(), addresses));
        }
        return out;
    }
}
