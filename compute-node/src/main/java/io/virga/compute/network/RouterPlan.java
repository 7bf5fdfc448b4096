package io.virga.compute.network;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One router as the router node realises it (from network-svc's
 * ResolveRouters): a gateway leg on the external network's bridge, a leg per
 * joined network carrying the subnets' gateway addresses, SNAT of the joined
 * subnets to the gateway address and 1:1 NAT of floating IPs.
 *
 * @param externalGateway next hop of the router's default route (empty: none)
 */
public record RouterPlan(String routerId, Leg gateway, String externalGateway, List<Leg> interfaces, List<Nat> nat) {
    private static final Pattern PREFIXED = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}");
    private static final Pattern ADDRESS = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public RouterPlan {
        interfaces = List.copyOf(interfaces);
        nat = List.copyOf(nat);
    }

    /** A router's address with prefix ({@code 10.0.0.1/24}) on the bridge of network {@code vni}. */
    public record Leg(int vni, String address) {
        /** The subnet of the address, e.g. {@code 10.0.0.0/24}. */
        public String subnet() {
            String[] f = address.split("/");
            int prefix = Integer.parseInt(f[1]);
            long ip = 0;
            for (String o : f[0].split("\\.")) {
                ip = (ip << 8) | Integer.parseInt(o);
            }
            long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            long net = ip & mask;
            return ((net >> 24) & 255) + "." + ((net >> 16) & 255) + "." + ((net >> 8) & 255) + "." + (net & 255)
                    + "/" + prefix;
        }

        /** The address without its prefix. */
        public String ip() {
            return address.substring(0, address.indexOf('/'));
        }
    }

    /** A floating IP and the fixed address it maps to. */
    public record Nat(String floatingIp, String fixedIp) {
    }

    /** Refuses anything that is not plain addresses and ids (it ends up in commands and scripts). */
    public void check() {
        boolean ok = ID.matcher(routerId).matches() && valid(gateway)
                && (externalGateway.isEmpty() || ADDRESS.matcher(externalGateway).matches())
                && interfaces.stream().allMatch(RouterPlan::valid)
                && nat.stream().allMatch(n -> ADDRESS.matcher(n.floatingIp()).matches()
                        && ADDRESS.matcher(n.fixedIp()).matches());
        if (!ok) {
            throw new IllegalArgumentException("bad router plan " + this);
        }
    }

    private static boolean valid(Leg l) {
        return l != null && l.vni() > 0 && PREFIXED.matcher(l.address()).matches();
    }
}
