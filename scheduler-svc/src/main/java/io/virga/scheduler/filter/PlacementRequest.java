package io.virga.scheduler.filter;

import io.virga.scheduler.host.Resources;
import java.util.Objects;
import java.util.Set;

/**
 * A validated request for room: what to place, and on what kind of host.
 *
 * @param hypervisorType required hypervisor type, or empty for any
 * @param excludedHosts  host ids that must not be chosen (they already failed this request)
 * @param alternates     how many other fitting hosts to return besides the claimed one
 * @param requestedHost  the only host id that may be chosen, or empty for any
 */
public record PlacementRequest(String consumerId, String projectId, Resources resources, String hypervisorType,
                               Set<String> requiredTraits, Set<String> excludedHosts, int alternates,
                               String requestedHost) {
    /** A request for any host. */
    public PlacementRequest(String consumerId, String projectId, Resources resources, String hypervisorType,
                            Set<String> requiredTraits, Set<String> excludedHosts, int alternates) {
        this(consumerId, projectId, resources, hypervisorType, requiredTraits, excludedHosts, alternates, "");
    }

    public PlacementRequest {
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(requestedHost, "requestedHost");
        requiredTraits = Set.copyOf(requiredTraits);
        excludedHosts = Set.copyOf(excludedHosts);
        if (alternates < 0) {
            throw new IllegalArgumentException("alternates must not be negative");
        }
    }
}
