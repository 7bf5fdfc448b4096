package io.virga.gateway.instance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code instances} with its ports and volumes. Immutable: a
 * lifecycle change is written with {@link InstanceStateWriter}, an update of
 * its attributes (name, description, metadata, tags, lock) with
 * {@link InstanceRepository#updateAttributes}; both are compare-and-set on
 * {@code version} (which is also the instance's ETag).
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
        List<InstanceVolume> volumes,
        String description,
        Map<String, String> metadata,
        List<String> tags,
        boolean locked) {

    /** An instance without description, metadata or tags, unlocked. */
    public Instance(String id, String projectId, String name, FlavorSnapshot flavor, String imageId,
                    List<String> requestedNetworks, String userData, InstanceStatus status, InstanceTask task,
                    String hostId, String hostName, String hostEndpoint, Fault fault, boolean quotaHeld, long version,
                    Instant createdAt, Instant updatedAt, Instant deletedAt, List<InstancePort> ports,
                    List<InstanceVolume> volumes) {
        this(id, projectId, name, flavor, imageId, requestedNetworks, userData, status, task, hostId, hostName,
                hostEndpoint, fault, quotaHeld, version, createdAt, updatedAt, deletedAt, ports, volumes, null,
                Map.of(), List.of(), false);
    }

    public Instance withPortsAndVolumes(List<InstancePort> p, List<InstanceVolume> v) {
        return new Instance(id, projectId, name, flavor, imageId, requestedNetworks, userData, status, task, hostId,
                hostName, hostEndpoint, fault, quotaHeld, version, createdAt, updatedAt, deletedAt, p, v, description,
                metadata, tags, locked);
    }

    /** The same instance after a lifecycle write (the attributes stay). */
    Instance withLifecycle(InstanceStatus s, InstanceTask t, String hId, String hName, String hEndpoint, Fault f,
                           boolean quota, long v, Instant updated, Instant deleted) {
        return new Instance(id, projectId, name, flavor, imageId, requestedNetworks, userData, s, t, hId, hName,
                hEndpoint, f, quota, v, createdAt, updated, deleted, ports,
                volumes, description, metadata, tags, locked);
    }

    /** The ETag of this version: {@code "<version>"} (quoted, strong). */
    public String etag() {
        return "\"" + version + "\"";
    }
}
