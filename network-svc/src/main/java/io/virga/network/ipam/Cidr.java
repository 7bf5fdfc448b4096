package io.virga.network.ipam;

import java.util.List;
import java.util.Optional;

/**
 * An IPv4 subnet {@code network/prefix} with prefix 8…30, in canonical form
 * (host bits zero). Pure value: parsing, containment, overlap and the usable
 * host range. A subnet of prefix p has 2^(32-p) addresses; its first (network)
 * and last (broadcast) addresses are never handed out.
 */
public record Cidr(long network, int prefix) {
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;

    /** Ranges that can never be tenant subnets. */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved(0x00000000L, 8, "the \"this network\" range 0.0.0.0/8"),
            new Reserved(0x7F000000L, 8, "the loopback range 127.0.0.0/8"),
            new Reserved(0xA9FE0000L, 16, "the link-local range 169.254.0.0/16"),
            new Reserved(0xE0000000L, 4, "the multicast range 224.0.0.0/4"),
            new Reserved(0xF0000000L, 4, "the reserved range 240.0.0.0/4"));

    private record Reserved(long network, int prefix, String description) {
    }

    public Cidr {
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
        if (network < 0 || network > Ipv4.MAX || (network & ~mask(prefix) & Ipv4.MAX) != 0) {
            throw new IllegalArgumentException("not a canonical network address: " + network + "/" + prefix);
        }
    }

    /**
     * Parses {@code a.b.c.d/p}. Accepts only canonical IPv4 subnets with
     * prefix /8…/30 outside the reserved ranges (loopback, link-local,
     * multicast, 0.0.0.0/8, 240.0.0.0/4).
     *
     * @throws AddressFormatException with a user-facing message, e.g.
     *                                {@code host bits set, did you mean 10.0.0.0/24?}
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new AddressFormatException("required");
        }
        if (text.indexOf(':') >= 0) {
            throw new AddressFormatException("only IPv4 is supported, got " + text);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new AddressFormatException("must be an IPv4 CIDR such as 10.0.0.0/24, got " + text);
        }
        long address;
        try {
            address = Ipv4.parse(text.substring(0, slash));
        } catch (AddressFormatException e) {
            throw new AddressFormatException("must be an IPv4 CIDR such as 10.0.0.0/24, got " + text);
        }
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || (p.length() > 1 && p.charAt(0) == '0')) {
            throw new AddressFormatException("must be an IPv4 CIDR such as 10.0.0.0/24, got " + text);
        }
        int prefix = Integer.parseInt(p);
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new AddressFormatException("prefix length must be between /" + MIN_PREFIX + " and /"
                    + MAX_PREFIX + ", got /" + prefix);
        }
        long network = address & mask(prefix);
        if (network != address) {
            throw new AddressFormatException("host bits set, did you mean " + Ipv4.format(network) + "/" + prefix + "?");
        }
        Cidr cidr = new Cidr(network, prefix);
        for (Reserved r : RESERVED) {
            long last = r.network + (1L << (32 - r.prefix)) - 1;
            if (cidr.network <= last && r.network <= cidr.broadcast()) {
                throw new AddressFormatException(cidr + " overlaps " + r.description);
            }
        }
        return cidr;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (Ipv4.MAX << (32 - prefix)) & Ipv4.MAX;
    }

    /** Number of addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public long broadcast() {
        return network + size() - 1;
    }

    /** The lowest address that may be given to a host (network + 1). */
    public long firstHost() {
        return network + 1;
    }

    /** The highest address that may be given to a host (broadcast - 1). */
    public long lastHost() {
        return broadcast() - 1;
    }

    /** Host addresses, network and broadcast excluded (gateway included). */
    public long hostCount() {
        return size() - 2;
    }

    public boolean contains(long address) {
        return address >= network && address <= broadcast();
    }

    /** True when the two subnets share at least one address. */
    public boolean overlaps(Cidr other) {
        return network <= other.broadcast() && other.network <= broadcast();
    }

    /**
     * Why {@code address} cannot be a host address (gateway or port) of this
     * subnet, or empty when it can. {@code gateway} is excluded too when
     * given (pass a negative value for "no gateway").
     */
    public Optional<String> unusableReason(long address, long gateway) {
        String ip = Ipv4.format(address);
        if (!contains(address)) {
            return Optional.of(ip + " is not inside " + this);
        }
        if (address == network) {
            return Optional.of(ip + " is the network address of " + this);
        }
        if (address == broadcast()) {
            return Optional.of(ip + " is the broadcast address of " + this);
        }
        if (address == gateway) {
            return Optional.of(ip + " is the gateway address of " + this);
        }
        return Optional.empty();
    }

    /** Canonical text, e.g. {@code 10.0.0.0/24}. */
    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefix;
    }
}
