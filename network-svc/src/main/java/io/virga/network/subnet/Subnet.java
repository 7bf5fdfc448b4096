package io.virga.network.subnet;

import io.virga.network.ipam.Cidr;
import java.time.Instant;

/**
 * An IPv4 range of a network. Ports get host addresses of it; the network,
 * broadcast and gateway addresses are never handed out. Subnets of one
 * network never overlap. A subnet lives until its network is deleted.
 *
 * @param gateway the gateway address as an unsigned 32-bit value ({@link io.virga.network.ipam.Ipv4})
 */
public record Subnet(String id, String networkId, String projectId, String name, Cidr cidr, long gateway,
        Instant createdAt) {

    /** Host addresses ports can get: all hosts but the gateway. */
    public long assignableCount() {
        return cidr.hostCount() - 1;
    }
}
