package io.virga.gateway.instance;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The JSON form of an instance (snake_case on the wire). {@code fault} is null unless something went wrong. */
public record InstanceView(@Schema(required = true) String id, @Schema(required = true) String name,
                           @Schema(required = true) String projectId,
                           @Schema(required = true, enumeration = {"BUILDING", "ACTIVE", "STOPPED", "PAUSED",
                                   "SUSPENDED", "MIGRATING", "RESIZING", "VERIFY_RESIZE", "REBUILDING", "ERROR",
                                   "DELETING", "DELETED"}) String status,
                           @Schema(description = "work in progress, null when none") String task,
                           @Schema(required = true) FlavorView flavor,
                           String image, String host, String hostName,
                           @Schema(required = true) List<AddressView> addresses,
                           @Schema(required = true) List<VolumeView> volumes,
                           @Schema(description = "what went wrong, null unless something did") Fault fault,
                           @Schema(required = true) String createdAt, String updatedAt,
                           String deletedAt, String description, java.util.Map<String, String> metadata,
                           List<String> tags, @Schema(required = true) boolean locked,
                           @Schema(required = true, enumeration = {"RUNNING", "SHUTDOWN", "PAUSED", "SUSPENDED",
                                   "UNKNOWN", "NOSTATE"}) String powerState) {

    public record FlavorView(String id, String name, int vcpus, long ramMb, int diskGb, String kind,
                             String virtMode) {
    }

    public record AddressView(String network, String port, String ip, String mac) {
    }

    public record VolumeView(String id, int sizeGb, boolean boot) {
    }

    /** The view with the power state its status gives (its host taken as up). */
    public static InstanceView of(Instance i) {
        return of(i, false);
    }

    /** The view; {@code hostDown}: the scheduler reports the instance's host DOWN (power state UNKNOWN). */
    public static InstanceView of(Instance i, boolean hostDown) {
        FlavorSnapshot f = i.flavor();
        return new InstanceView(i.id(), i.name(), i.projectId(), i.status().name(),
                i.task() == null ? null : i.task().value(),
                new FlavorView(f.id(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(), f.kind(), f.virtMode()),
                i.imageId(), i.hostId(), i.hostName(),
                i.ports().stream().map(p -> new AddressView(p.networkId(), p.portId(), p.ipAddress(), p.macAddress()))
                        .toList(),
                i.volumes().stream().map(v -> new VolumeView(v.volumeId(), v.sizeGb(), v.boot())).toList(),
                i.fault(), text(i.createdAt()), text(i.updatedAt()), text(i.deletedAt()), i.description(),
                i.metadata(), i.tags(), i.locked(), PowerState.of(i.status(), hostDown).name());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
