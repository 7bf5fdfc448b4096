package io.virga.network.subnet;

import io.virga.network.ipam.AddressFormatException;
import io.virga.network.ipam.Ipv4;

/**
 * A static route handed to a subnet's guests: the canonical IPv4 prefix
 * {@code network/prefix} (0…32, so {@code 0.0.0.0/0} is allowed) via
 * {@code nexthop}, a host address of the subnet.
 */
public record HostRoute(long network, int prefix, long nexthop) {

    /** The destination as text, e.g. {@code 192.168.0.0/16}. */
    public String destination() {
        return Ipv4.format(network) + "/" + prefix;
    }

    /**
     * Parses a route destination {@code a.b.c.d/p} with host bits zero.
     *
     * @throws AddressFormatException with a user-facing message
     */
    public static long[] parseDestination(String text) {
        String usage = "must be an IPv4 CIDR such as 192.168.0.0/16, got " + text;
        if (text == null || text.isEmpty()) {
            throw new AddressFormatException("required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new AddressFormatException(usage);
        }
        long address = Ipv4.parse(text.substring(0, slash));
        String p = text.substring(slash + 1);
        if (!p.matches("0|[1-9][0-9]?") || Integer.parseInt(p) > 32) {
            throw new AddressFormatException(usage);
        }
        int prefix = Integer.parseInt(p);
        long mask = prefix == 0 ? 0 : (Ipv4.MAX << (32 - prefix)) & Ipv4.MAX;
        if ((address & mask) != address) {
            throw new AddressFormatException("host bits set, did you mean " + Ipv4.format(address & mask) + "/"
                    + prefix + "?");
        }
        return new long[] {address, prefix};
    }
}
