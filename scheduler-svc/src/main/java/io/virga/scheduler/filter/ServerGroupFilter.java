package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/**
 * Keeps a hard server-group policy: anti-affinity rejects hosts that hold a
 * member, affinity rejects every host but the members' one. Soft policies
 * pass everything (the group weigher prefers).
 */
public final class ServerGroupFilter implements HostFilter {
    @Override
    public FilterResult test(HostState host, PlacementRequest request) {
        GroupPlacement g = request.group();
        if (g == null || g.allows(host.id())) {
            return FilterResult.pass();
        }
        return FilterResult.reject(GroupPlacement.ANTI_AFFINITY.equals(g.policy())
                ? "holds a member of " + g.name() : "does not hold the members of " + g.name());
    }

    @Override
    public String reason(List<HostState> rejected, PlacementRequest request) {
        GroupPlacement g = request.group();
        return GroupPlacement.ANTI_AFFINITY.equals(g.policy())
                ? "already holds a member of anti-affinity group " + g.name()
                : "not the host of affinity group " + g.name();
    }

    @Override
    public String headline(List<HostState> rejected, PlacementRequest request) {
        GroupPlacement g = request.group();
        return "server group " + g.name() + " (" + g.groupId() + ", " + g.policy() + ") cannot take another member: "
                + (GroupPlacement.ANTI_AFFINITY.equals(g.policy())
                ? "every other fitting host already holds one (" + HostFilter.hosts(rejected.size()) + " rejected)"
                : "its members' host does not fit (" + HostFilter.hosts(rejected.size()) + " rejected)");
    }
}
