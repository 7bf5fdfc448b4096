package io.virga.scheduler.filter;

import io.virga.scheduler.host.Resources;
import java.util.Objects;
import java.util.Set;

/**
 * A validated request for room: what to place, and on what kind of host.
 *
 * @param hypervisorType    required hypervisor type, or empty for any
 * @param requiredTraits    traits a host must have (flavor extra_specs, image properties, flavor kind)
 * @param excludedHosts     host ids that must not be chosen (they already failed this request)
 * @param alternates        how many other fitting hosts to return besides the claimed one
 * @param requestedHost     the only host id that may be chosen, or empty for any
 * @param forbiddenTraits   traits a host must not have
 * @param availabilityZone  the zone to place in, or empty for any
 * @param flavorId          the flavor, for aggregates restricting flavors (empty: unknown)
 * @param group             the server group the consumer joins, with its members' hosts, or null
 */
public record PlacementRequest(String consumerId, String projectId, Resources resources, String hypervisorType,
                               Set<String> requiredTraits, Set<String> excludedHosts, int alternates,
                               String requestedHost, Set<String> forbiddenTraits, String availabilityZone,
                               String flavorId, GroupPlacement group) {
    /** A request for any host. */
    public PlacementRequest(String consumerId, String projectId, Resources resources, String hypervisorType,
                            Set<String> requiredTraits, Set<String> excludedHosts, int alternates) {
        this(consumerId, projectId, resources, hypervisorType, requiredTraits, excludedHosts, alternates, "");
    }

    public PlacementRequest(String consumerId, String projectId, Resources resources, String hypervisorType,
                            Set<String> requiredTraits, Set<String> excludedHosts, int alternates,
                            String requestedHost) {
        this(consumerId, projectId, resources, hypervisorType, requiredTraits, excludedHosts, alternates,
                requestedHost, Set.of(), "", "", null);
    }

    public PlacementRequest {
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(requestedHost, "requestedHost");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        Objects.requireNonNull(flavorId, "flavorId");
        requiredTraits = Set.copyOf(requiredTraits);
        excludedHosts = Set.copyOf(excludedHosts);
        forbiddenTraits = Set.copyOf(forbiddenTraits);
        if (alternates < 0) {
            throw new IllegalArgumentException("alternates must not be negative");
        }
    }

    public PlacementRequest withExcluded(Set<String> excluded) {
        return new PlacementRequest(consumerId, projectId, resources, hypervisorType, requiredTraits, excluded,
                alternates, requestedHost, forbiddenTraits, availabilityZone, flavorId, group);
    }

    public PlacementRequest withGroup(GroupPlacement g) {
        return new PlacementRequest(consumerId, projectId, resources, hypervisorType, requiredTraits, excludedHosts,
                alternates, requestedHost, forbiddenTraits, availabilityZone, flavorId, g);
    }
}
