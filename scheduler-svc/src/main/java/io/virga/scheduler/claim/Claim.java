package io.virga.scheduler.claim;

import io.virga.scheduler.host.Resources;
import java.util.Objects;

/** Resources held on one host by one consumer (an instance): a row of the allocations table. */
public record Claim(String consumerId, String projectId, String hostId, String hostName, String computeEndpoint,
                    Resources resources) {
    public Claim {
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(computeEndpoint, "computeEndpoint");
        Objects.requireNonNull(resources, "resources");
    }
}
