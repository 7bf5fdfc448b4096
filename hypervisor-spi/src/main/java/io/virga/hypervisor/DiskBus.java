package io.virga.hypervisor;

/**
 * How a disk is presented to a guest. {@link #DEFAULT} lets the driver choose from the guest's
 * {@link VirtMode}: {@code full} uses emulated {@link #SATA} (AHCI) or {@link #IDE}, {@code para} and
 * {@code hybrid} use {@link #VIRTIO}.
 */
public enum DiskBus {
    DEFAULT,
    VIRTIO,
    SATA,
    IDE,
    SCSI
}
