package io.virga.network.port;

import java.time.Instant;
import java.util.List;

/**
 * A virtual NIC on a network: one MAC and one IP of one of the network's
 * subnets, optionally bound to a device (instance).
 *
 * <p>States: created {@code DOWN}; {@code ACTIVE} once a host binds it (not
 * set by network-svc yet). Deleting a port removes its row and frees its
 * address for reuse.
 *
 * <p>A port made for a device ({@code autoDelete}) goes with it; a port the
 * user made and bound to an instance is only unbound when the instance goes.
 *
 * @param ip the address as an unsigned 32-bit value ({@link io.virga.network.ipam.Ipv4})
 */
public record Port(String id, String projectId, String networkId, String subnetId, String macAddress, long ip,
        String deviceId, String status, Instant createdAt, List<String> securityGroupIds, boolean autoDelete) {
    public static final String DOWN = "DOWN";
    public static final String ACTIVE = "ACTIVE";
}
