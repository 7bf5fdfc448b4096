package io.virga.network.ipam;

/**
 * An inclusive range of IPv4 addresses {@code first … last} (unsigned 32-bit
 * values, {@link Ipv4}): an allocation pool of a subnet.
 */
public record AddressRange(long first, long last) {
    public AddressRange {
        if (first < 0 || last > Ipv4.MAX || first > last) {
            throw new IllegalArgumentException("not a range: " + first + "…" + last);
        }
    }

    public boolean contains(long address) {
        return address >= first && address <= last;
    }

    public boolean overlaps(AddressRange other) {
        return first <= other.last && other.first <= last;
    }

    public long size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return Ipv4.format(first) + "-" + Ipv4.format(last);
    }
}
