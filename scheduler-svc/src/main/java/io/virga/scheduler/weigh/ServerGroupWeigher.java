package io.virga.scheduler.weigh;

import io.virga.scheduler.filter.GroupPlacement;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;

/**
 * Soft server-group policies: soft-affinity prefers hosts holding more
 * members, soft-anti-affinity fewer. Other requests score 0 everywhere.
 */
public final class ServerGroupWeigher implements HostWeigher {
    private final double multiplier;

    public ServerGroupWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double weigh(HostState host, PlacementRequest request) {
        GroupPlacement g = request.group();
        if (g == null) {
            return 0;
        }
        if (GroupPlacement.SOFT_AFFINITY.equals(g.policy())) {
            return g.members(host.id());
        }
        if (GroupPlacement.SOFT_ANTI_AFFINITY.equals(g.policy())) {
            return -g.members(host.id());
        }
        return 0;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }
}
