package io.virga.gateway.instance.blockdevice;

import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskBus;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.SpawnRequest;

/**
 * The spawn request's disks for an instance's volumes: each carries its connection (the volume's file
 * and format), so the node opens it in place; the boot volume comes first and names the instance's
 * image, whose properties (kernel, ramdisk, virt mode) the node still applies.
 */
public final class BlockDeviceDisks {
    private BlockDeviceDisks() {
    }

    /** Adds the attached volumes of {@code plan} (none when null) to {@code spawn}. */
    public static void addTo(SpawnRequest.Builder spawn, String imageId, BlockDevicePlan plan) {
        if (plan == null) {
            return;
        }
        plan.attached.stream().sorted((a, b) -> Boolean.compare(b.boot(), a.boot())).forEach(d -> {
            Disk.Builder disk = Disk.newBuilder().setVolumeId(d.volumeId()).setSizeGb(d.sizeGb()).setBoot(d.boot())
                    .setConnection(DiskConnection.newBuilder().setPath(d.path())
                            .setFormat("raw".equals(d.format()) ? DiskFormat.DISK_FORMAT_RAW : DiskFormat.DISK_FORMAT_QCOW2)
                            .setBus(DiskBus.DISK_BUS_DEFAULT));
            if (d.boot() && imageId != null) {
                disk.setImageId(imageId);
            }
            spawn.addDisks(disk);
        });
    }
}
