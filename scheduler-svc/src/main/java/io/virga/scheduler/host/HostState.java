package io.virga.scheduler.host;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one host as a resource provider, read in one statement.
 * {@code generation} identifies the snapshot: a claim made from it succeeds
 * only while the host row still has that generation.
 *
 * @param instances number of allocations (claims) held on the host
 */
public record HostState(String id, String name, String hypervisorType, String computeEndpoint, boolean enabled,
                        Resources total, Resources used, Set<String> traits, Instant lastHeartbeatAt,
                        long generation, int instances) {
    public HostState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hypervisorType, "hypervisorType");
        Objects.requireNonNull(computeEndpoint, "computeEndpoint");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(used, "used");
        traits = Set.copyOf(traits);
        Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
    }
}
