package io.virga.network.subnet;

import io.virga.network.ipam.Cidr;
import java.time.Instant;

/**
 * An IPv4 range of a network. Ports get host addresses of it, automatic ones
 * from its allocation pools; the network, broadcast and gateway addresses are
 * never handed out. Subnets of one network never overlap. A subnet lives until
 * it or its network is deleted, which is refused while ports hold its addresses.
 *
 * @param name    may be empty
 * @param gateway the gateway address as an unsigned 32-bit value ({@link io.virga.network.ipam.Ipv4})
 */
public record Subnet(String id, String networkId, String projectId, String name, Cidr cidr, long gateway,
        Instant createdAt, SubnetOptions options) {

    /** Host addresses ports can get automatically: the sizes of the pools. */
    public long assignableCount() {
        return options.pools().stream().mapToLong(io.virga.network.ipam.AddressRange::size).sum();
    }
}
