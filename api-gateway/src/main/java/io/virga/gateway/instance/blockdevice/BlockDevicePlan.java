package io.virga.gateway.instance.blockdevice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * The block devices of an instance being created, as validated at the API and then as made by
 * {@link BlockDeviceStep}; saved with the create workflow's data after every step.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class BlockDevicePlan {
    /** An existing volume to boot from, or null. */
    public String bootVolumeId;
    /** Size of a new boot volume from the instance's image (0: none is made). */
    public int newBootSizeGb;
    /** The new boot volume goes with the instance. */
    public boolean deleteOnTermination;
    /** Existing volumes to attach at boot, in order. */
    public List<String> volumes = new ArrayList<>();
    /** The boot volume made for this instance, once asked for (compensation deletes it). */
    public String madeVolumeId;
    /** When the made volume must be AVAILABLE (ISO-8601), set on the first try. */
    public String buildDeadline;
    /** Volumes attached to the instance so far (boot first): what spawn hands the hypervisor. */
    public List<Device> attached = new ArrayList<>();

    /** A volume attached to the instance, with what a hypervisor needs to open it. */
    public record Device(String volumeId, int sizeGb, boolean boot, String path, String format) {
    }

    public boolean bootsFromVolume() {
        return bootVolumeId != null || newBootSizeGb > 0;
    }

    public boolean isEmpty() {
        return !bootsFromVolume() && volumes.isEmpty();
    }

    /** The volume ids to attach, boot volume first (the made one once known). */
    List<BootOrData> toAttach() {
        List<BootOrData> all = new ArrayList<>();
        String boot = bootVolumeId != null ? bootVolumeId : madeVolumeId;
        if (boot != null) {
            all.add(new BootOrData(boot, true));
        }
        volumes.forEach(v -> all.add(new BootOrData(v, false)));
        return all;
    }

    boolean isAttached(String volumeId) {
        return attached.stream().anyMatch(d -> d.volumeId().equals(volumeId));
    }

    record BootOrData(String volumeId, boolean boot) {
    }

    static BlockDevicePlan of(BlockDeviceRequest r) {
        BlockDevicePlan p = new BlockDevicePlan();
        if (r.boot() != null) {
            p.bootVolumeId = r.boot().volumeId();
            p.newBootSizeGb = r.boot().isNew() ? r.boot().sizeGb() : 0;
            p.deleteOnTermination = r.boot().deleteOnTermination();
        }
        p.volumes.addAll(r.volumes());
        return p;
    }
}
