package io.virga.gateway.instance;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code instances} with its ports and volumes. Immutable: a
 * change is written with {@link InstanceStateWriter} (compare-and-set on {@code version}).
 */
public record Instance(
        String id,
        String projectId,
        String name,
        FlavorSnapshot flavor,
        String imageId,
        List<String> requestedNetworks,
        String userData,
        InstanceStatus status,
        InstanceTask task,
        String hostId,
        String hostName,
        String hostEndpoint,
        Fault fault,
        boolean quotaHeld,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        List<InstancePort> ports,
        List<InstanceVolume> volumes) {

    public Instance withPortsAndVolumes(List<InstancePort> p, List<InstanceVolume> v) {
        return new Instance(id, projectId, name, flavor, imageId, requestedNetworks, userData, status, task, hostId,
                hostName, hostEndpoint, fault, quotaHeld, version, createdAt, updatedAt, deletedAt, p, v);
    }
}
