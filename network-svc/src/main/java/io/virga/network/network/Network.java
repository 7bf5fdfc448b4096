package io.virga.network.network;

import java.time.Instant;

/**
 * A virtual L2 network of one project, isolated by its VXLAN id (VNI).
 * A shared network is visible to every project, which may read it and
 * create ports on it; only its owner may change it. An external network
 * (cloud admins make them) is visible to every project too, for router
 * gateways and floating IPs; no port is made on it.
 *
 * <p>States: a network is {@code ACTIVE} from creation until it is deleted
 * (deletion removes the row; it is refused while ports exist).
 */
public record Network(String id, String projectId, String name, int vni, boolean shared, String status,
        Instant createdAt, boolean external) {
    public static final String ACTIVE = "ACTIVE";

    /** True when {@code projectId} may read this network and attach ports to it. */
    public boolean visibleTo(String projectId) {
        return shared || external || this.projectId.equals(projectId);
    }

    /** True when {@code projectId} may delete it or add subnets. */
    public boolean ownedBy(String projectId) {
        return this.projectId.equals(projectId);
    }
}
