package io.virga.gateway.instance.migration;

import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.InstanceStatus;
import java.time.Instant;

/**
 * One row of {@code migrations}: a move of an instance between hosts.
 *
 * @param previousStatus the instance's status before the move, which a confirm or revert restores
 * @param dest           the destination, null until claimed
 */
public record Migration(String id, String instanceId, String projectId, MigrationKind kind, MigrationStatus status,
                        InstanceStatus previousStatus, HostRef source, HostRef dest, String requestedHost,
                        FlavorSnapshot oldFlavor, FlavorSnapshot newFlavor, String operationId, String faultMessage,
                        Instant createdAt, Instant updatedAt) {

    /** A host as a move knows it: id, name and the compute node's endpoint. */
    public record HostRef(String id, String name, String endpoint) {
    }
}
