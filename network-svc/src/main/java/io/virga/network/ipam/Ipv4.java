package io.virga.network.ipam;

/**
 * IPv4 addresses as unsigned 32-bit values held in a {@code long}
 * (0 … 2^32-1), so that address arithmetic needs no sign tricks.
 * Pure functions, no state.
 */
public final class Ipv4 {
    public static final long MAX = 0xFFFF_FFFFL;

    private Ipv4() {
    }

    /**
     * Parses dotted-quad text, strictly: four decimal octets 0…255, no
     * leading zeros (so {@code 010} is never read as octal), no spaces.
     *
     * @throws AddressFormatException when {@code text} is not such an address
     */
    public static long parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new AddressFormatException("must be an IPv4 address such as 10.0.0.1");
        }
        if (text.indexOf(':') >= 0) {
            throw new AddressFormatException("only IPv4 is supported, got " + text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new AddressFormatException("must be an IPv4 address such as 10.0.0.1, got " + text);
        }
        long value = 0;
        for (String part : parts) {
            value = (value << 8) | octet(part, text);
        }
        return value;
    }

    private static int octet(String part, String whole) {
        boolean digits = !part.isEmpty() && part.length() <= 3 && part.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (part.length() > 1 && part.charAt(0) == '0')) {
            throw new AddressFormatException("must be an IPv4 address such as 10.0.0.1, got " + whole);
        }
        int v = Integer.parseInt(part);
        if (v > 255) {
            throw new AddressFormatException("must be an IPv4 address such as 10.0.0.1, got " + whole);
        }
        return v;
    }

    /** Dotted-quad text of {@code address} (0 … 2^32-1). */
    public static String format(long address) {
        if (address < 0 || address > MAX) {
            throw new IllegalArgumentException("not an IPv4 address value: " + address);
        }
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "."
                + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
