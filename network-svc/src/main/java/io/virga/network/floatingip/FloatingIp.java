package io.virga.network.floatingip;

import java.time.Instant;

/**
 * An address of an external network held by a project, optionally
 * associated with one of its ports (1:1 NAT on the router that joins the
 * port's subnet).
 *
 * <p>States: {@code DOWN} (not associated) ⇄ {@code ACTIVE} (associated)
 * by update; deleted from either. Deleting the port disassociates it.
 * Every update bumps {@code version} (the REST ETag).
 *
 * @param portId   empty when not associated
 * @param fixedIp  the port's address, empty when not associated
 * @param routerId the router doing the NAT, empty when not associated
 */
public record FloatingIp(String id, String projectId, String networkId, String ip, String portId, String fixedIp,
        String routerId, int version, Instant createdAt) {

    public String status() {
        return portId.isEmpty() ? "DOWN" : "ACTIVE";
    }
}
