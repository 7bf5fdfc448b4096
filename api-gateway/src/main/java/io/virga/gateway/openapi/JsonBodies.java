package io.virga.gateway.openapi;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documented shape of the request bodies that the gateway reads as a {@code JsonNode} (so that it can name
 * every bad field itself). These records are never instantiated: {@code @RequestBody(content = @Content(schema =
 * @Schema(implementation = JsonBodies.X.class)))} on the resource method points the document at them. Each one
 * says which parser enforces it; change both together (the end-to-end suite validates every request it sends
 * against the document, see docs/openapi.md).
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** Names: {@code io.virga.gateway.api.Checks#NAME} and the instance parsers. */
    public static final String NAME_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

    /** POST /v1/instances, read by {@code CreateInstanceRequest}, {@code BlockDeviceRequest}, {@code PlacementHints}. */
    @Schema(name = "CreateInstance", description = "A new instance")
    public record CreateInstance(
            @Schema(required = true, pattern = NAME_PATTERN, description = "1-64 of A-Z a-z 0-9 . _ -") String name,
            @Schema(required = true, minLength = 1, description = "flavor id or name") String flavor,
            @Schema(required = true, minLength = 1, description = "image id (ACTIVE, visible to the project)")
            String image,
            @Schema(required = true, minItems = 1, maxItems = 8) List<Nic> networks,
            @Schema(maxItems = 8, description = "ids of existing volumes (v-…) to attach") List<String> volumes,
            BootVolume bootVolume,
            @Schema(maxLength = 65535, description = "base64, at most 65535 bytes") String userData,
            @Schema(description = "server group id or name") String serverGroup,
            String availabilityZone) {
    }

    /** One {@code networks[]} entry, read by {@code NicRequest}: a network (optionally a fixed address) or a port. */
    @Schema(name = "NicRequest")
    public record Nic(@Schema(description = "network id (n-…)") String network,
            @Schema(description = "an IPv4 address of one of the network's subnets") String fixedIp,
            @Schema(description = "an existing unbound port (p-…) of the project") String port) {
    }

    /** {@code boot_volume}: exactly one of volume_id or size_gb. */
    @Schema(name = "BootVolume")
    public record BootVolume(@Schema(description = "an existing volume (v-…)") String volumeId,
            @Schema(minimum = "1", maximum = "16384", description = "a new volume from the image, GiB") Integer sizeGb,
            @Schema(description = "only with size_gb") Boolean deleteOnTermination) {
    }

    /** PATCH /v1/instances/{id}, read by {@code InstanceUpdate}. */
    @Schema(name = "UpdateInstance")
    public record UpdateInstance(@Schema(pattern = NAME_PATTERN) String name,
            @Schema(maxLength = 255) String description,
            @Schema(maxProperties = 50) Map<String, String> metadata,
            @Schema(maxItems = 50) List<String> tags) {
    }

    /** POST /v1/instances/{id}/actions, read by {@code ActionRequest}. */
    @Schema(name = "InstanceActionRequest")
    public record InstanceAction(
            @Schema(required = true, enumeration = {"stop", "start", "reboot", "pause", "unpause", "suspend",
                    "resume", "snapshot", "rebuild", "resize", "confirm-resize", "revert-resize", "migrate",
                    "live-migrate", "evacuate", "lock", "unlock"}) String action,
            @Schema(enumeration = {"soft", "hard"}, description = "reboot only") String type,
            @Schema(minimum = "0", description = "stop and reboot only") Integer graceSeconds,
            @Schema(description = "snapshot only: the new image's name") String name,
            @Schema(description = "rebuild only") String imageId,
            @Schema(description = "resize only") String flavorId,
            @Schema(description = "migrate, live-migrate, evacuate: the target host (admin)") String host) {
    }

    /** POST /v1/instances/{id}/volume-attachments. */
    @Schema(name = "AttachVolume")
    public record AttachVolume(@Schema(required = true) String volumeId) {
    }

    /** POST /v1/volumes, read by {@code VolumeResource}. */
    @Schema(name = "CreateVolume")
    public record CreateVolume(String name, @Schema(minimum = "1") Integer sizeGb, String volumeType, String imageId,
            String snapshotId, String sourceVolumeId, Boolean multiattach) {
    }

    /** POST /v1/volumes/{id}/actions. */
    @Schema(name = "VolumeActionRequest")
    public record VolumeAction(@Schema(required = true, enumeration = {"extend", "revert", "reset-state"}) String action,
            @Schema(minimum = "1", description = "extend: the new size in GiB") Integer newSize,
            @Schema(enumeration = {"available", "error"}, description = "reset-state (admin)") String status) {
    }

    /** POST /v1/volumes/{id}/snapshots (the body may be left out). */
    @Schema(name = "CreateVolumeSnapshot")
    public record CreateSnapshot(String name) {
    }

    /** POST /v1/server-groups. */
    @Schema(name = "CreateServerGroup")
    public record CreateServerGroup(@Schema(required = true) String name,
            @Schema(required = true, enumeration = {"affinity", "anti-affinity", "soft-affinity",
                    "soft-anti-affinity"}) String policy) {
    }

    /** POST /v1/aggregates and PUT /v1/aggregates/{id}. */
    @Schema(name = "AggregateRequest")
    public record Aggregate(@Schema(required = true) String name, String availabilityZone,
            Map<String, String> metadata) {
    }

    /** POST /v1/aggregates/{id}/hosts. */
    @Schema(name = "AddAggregateHost")
    public record AddAggregateHost(@Schema(required = true) String hostId) {
    }

    /** POST /v1/hosts/{id}/actions. */
    @Schema(name = "HostActionRequest")
    public record HostAction(@Schema(required = true, enumeration = {"enable", "disable", "maintenance"})
            String action, String reason) {
    }

    /** PATCH /v1/floating-ips/{id}: a port id, or null to disassociate (the field itself is required). */
    @Schema(name = "UpdateFloatingIp")
    public record UpdateFloatingIp(@Schema(required = true, nullable = true) String portId) {
    }

    /** POST /v1/stacks/{name}/plan and /apply as JSON, read by {@code StackResource#input}. */
    @Schema(name = "StackRequest", description = "A stack spec (or, for apply, a reviewed plan_id)")
    public record StackRequest(
            @Schema(description = "the spec: an object, or YAML text (required unless plan_id names a plan)")
            Object spec,
            @Schema(description = "values of the spec's variables") Map<String, Object> variables,
            @Schema(description = "apply only: a plan_id from an earlier plan; 409 if the world changed since")
            String planId) {
    }
}
