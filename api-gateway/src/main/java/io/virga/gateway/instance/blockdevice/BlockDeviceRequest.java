package io.virga.gateway.instance.blockdevice;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The block devices of an instance create, checked for shape only (what can be told without asking
 * storage-svc):
 * <pre>
 * "boot_volume": {"volume_id": "v-…"}                                   boot from an existing volume
 * "boot_volume": {"size_gb": N, "delete_on_termination": true|false}   a new volume from the image
 * "volumes": ["v-…", {"volume_id": "v-…"}, …]                          attached at boot (at most 8)
 * </pre>
 * One of volume_id / size_gb; delete_on_termination (default false) only with size_gb (a volume made
 * for the instance); no volume twice. {@link #parse} adds a {@link FieldError} per fault.
 *
 * @param boot    the boot volume, or null (the instance boots from its image as before)
 * @param volumes volume ids to attach at boot, in order (vdb, vdc …)
 */
public record BlockDeviceRequest(BootVolume boot, List<String> volumes) {
    public static final int MAX_VOLUMES = 8;
    public static final int MAX_SIZE_GB = 16384;
    private static final Set<String> BOOT_KEYS = Set.of("volume_id", "size_gb", "delete_on_termination");

    /**
     * @param volumeId            an existing volume, or null
     * @param sizeGb              size of a new volume from the image, or 0 with volumeId
     * @param deleteOnTermination delete the new volume with the instance
     */
    public record BootVolume(String volumeId, int sizeGb, boolean deleteOnTermination) {
        public boolean isNew() {
            return volumeId == null;
        }
    }

    public static final BlockDeviceRequest NONE = new BlockDeviceRequest(null, List.of());

    public boolean isEmpty() {
        return boot == null && volumes.isEmpty();
    }

    /** Every existing volume named, boot volume first. */
    public List<String> existingVolumes() {
        List<String> all = new ArrayList<>();
        if (boot != null && boot.volumeId() != null) {
            all.add(boot.volumeId());
        }
        all.addAll(volumes);
        return all;
    }

    /** Reads {@code boot_volume} and {@code volumes} of a create body; absent ones mean none. */
    public static BlockDeviceRequest parse(JsonNode body, List<FieldError> errors) {
        if (body == null || !body.isObject()) {
            return NONE;
        }
        BootVolume boot = boot(body.get("boot_volume"), errors);
        List<String> volumes = volumes(body.get("volumes"), errors);
        Set<String> seen = new HashSet<>();
        if (boot != null && boot.volumeId() != null) {
            seen.add(boot.volumeId());
        }
        for (int n = 0; n < volumes.size(); n++) {
            if (!seen.add(volumes.get(n))) {
                errors.add(new FieldError("volumes[" + n + "]", "volume " + volumes.get(n) + " is named twice"));
            }
        }
        return new BlockDeviceRequest(boot, volumes);
    }

    private static BootVolume boot(JsonNode v, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(new FieldError("boot_volume", "must be {\"volume_id\": id} or {\"size_gb\": N, "
                    + "\"delete_on_termination\": bool}"));
            return null;
        }
        int before = errors.size();
        v.fieldNames().forEachRemaining(f -> {
            if (!BOOT_KEYS.contains(f)) {
                errors.add(new FieldError("boot_volume." + f, "unknown field"));
            }
        });
        JsonNode id = v.get("volume_id");
        JsonNode size = v.get("size_gb");
        JsonNode dot = v.get("delete_on_termination");
        boolean hasId = id != null && !id.isNull();
        boolean hasSize = size != null && !size.isNull();
        if (hasId == hasSize) {
            errors.add(new FieldError("boot_volume", "give exactly one of volume_id (an existing volume) or size_gb "
                    + "(a new volume from the image)"));
        }
        String volumeId = null;
        if (hasId) {
            volumeId = volumeId(id, "boot_volume.volume_id", errors);
        }
        int sizeGb = 0;
        if (hasSize) {
            if (!size.isIntegralNumber() || size.asLong() < 1 || size.asLong() > MAX_SIZE_GB) {
                errors.add(new FieldError("boot_volume.size_gb", "must be a whole number of GiB from 1 to "
                        + MAX_SIZE_GB));
            } else {
                sizeGb = size.asInt();
            }
        }
        boolean deleteOnTermination = false;
        if (dot != null && !dot.isNull()) {
            if (!dot.isBoolean()) {
                errors.add(new FieldError("boot_volume.delete_on_termination", "must be true or false"));
            } else if (hasId) {
                errors.add(new FieldError("boot_volume.delete_on_termination", "applies only to a volume made for "
                        + "the instance (size_gb); an existing volume outlives the instance"));
            } else {
                deleteOnTermination = dot.asBoolean();
            }
        }
        return errors.size() > before ? null : new BootVolume(volumeId, sizeGb, deleteOnTermination);
    }

    private static List<String> volumes(JsonNode v, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_VOLUMES) {
            errors.add(new FieldError("volumes", "must list at most " + MAX_VOLUMES + " volume ids"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int n = 0; n < v.size(); n++) {
            JsonNode entry = v.get(n);
            String field = "volumes[" + n + "]";
            if (entry.isObject()) {
                if (entry.size() != 1 || !entry.has("volume_id")) {
                    errors.add(new FieldError(field, "must be a volume id or {\"volume_id\": id}"));
                    continue;
                }
                entry = entry.get("volume_id");
                field = field + ".volume_id";
            }
            String id = volumeId(entry, field, errors);
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private static String volumeId(JsonNode v, String field, List<FieldError> errors) {
        if (!v.isTextual() || !v.asText().startsWith("v-") || v.asText().length() > 64
                || !v.asText().matches("[A-Za-z0-9_-]+")) {
            errors.add(new FieldError(field, "must be a volume id (v-…)"));
            return null;
        }
        return v.asText();
    }
}
