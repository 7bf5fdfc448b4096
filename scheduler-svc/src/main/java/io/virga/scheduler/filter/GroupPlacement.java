package io.virga.scheduler.filter;

import java.util.Map;
import java.util.Objects;

/**
 * A server group as placement sees it: its policy and how many members
 * each host holds now (including members placed earlier in the same batch).
 */
public record GroupPlacement(String groupId, String name, String policy, Map<String, Integer> memberHosts) {
    public static final String AFFINITY = "affinity";
    public static final String ANTI_AFFINITY = "anti-affinity";
    public static final String SOFT_AFFINITY = "soft-affinity";
    public static final String SOFT_ANTI_AFFINITY = "soft-anti-affinity";

    public GroupPlacement {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        memberHosts = Map.copyOf(memberHosts);
    }

    public boolean hard() {
        return AFFINITY.equals(policy) || ANTI_AFFINITY.equals(policy);
    }

    /** Whether a new member on {@code hostId} keeps a hard policy (soft policies always allow). */
    public boolean allows(String hostId) {
        if (ANTI_AFFINITY.equals(policy)) {
            return !memberHosts.containsKey(hostId);
        }
        if (AFFINITY.equals(policy)) {
            return memberHosts.isEmpty() || memberHosts.containsKey(hostId);
        }
        return true;
    }

    public int members(String hostId) {
        return memberHosts.getOrDefault(hostId, 0);
    }
}
