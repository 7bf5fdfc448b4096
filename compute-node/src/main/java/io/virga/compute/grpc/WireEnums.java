package io.virga.compute.grpc;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.BootSource;
import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.ContainerSpec;
import io.virga.hypervisor.DiskBus;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.HostAttachment;
import io.virga.hypervisor.InvalidGuestSpecException;

/**
 * The wire's enums and data-plane messages as the SPI's, and back. A wire enum {@code DISK_FORMAT_QCOW2}
 * is the SPI's {@code QCOW2}; {@code *_UNSPECIFIED} is {@code null} (the SPI record then says what is
 * required) except where the contract gives it a meaning (container mode: system; disk bus: default).
 */
final class WireEnums {
    private WireEnums() {
    }

    /** {@code GUEST_KIND_VM} without {@code GUEST_KIND_} is {@code VM}. */
    static String suffix(String wireName, String prefix) {
        if (!wireName.startsWith(prefix) || wireName.endsWith("UNSPECIFIED")) {
            throw new IllegalArgumentException("unknown value " + wireName);
        }
        return wireName.substring(prefix.length());
    }

    static DiskFormat format(io.virga.contracts.compute.v1.DiskFormat f) {
        return switch (f) {
            case DISK_FORMAT_RAW -> DiskFormat.RAW;
            case DISK_FORMAT_QCOW2 -> DiskFormat.QCOW2;
            case DISK_FORMAT_TAR -> DiskFormat.TAR;
            default -> null;
        };
    }

    static io.virga.contracts.compute.v1.DiskFormat format(DiskFormat f) {
        return switch (f) {
            case RAW -> io.virga.contracts.compute.v1.DiskFormat.DISK_FORMAT_RAW;
            case QCOW2 -> io.virga.contracts.compute.v1.DiskFormat.DISK_FORMAT_QCOW2;
            case TAR -> io.virga.contracts.compute.v1.DiskFormat.DISK_FORMAT_TAR;
        };
    }

    static DiskConnection connection(io.virga.contracts.compute.v1.DiskConnection c) {
        DiskBus bus = switch (c.getBus()) {
            case DISK_BUS_VIRTIO -> DiskBus.VIRTIO;
            case DISK_BUS_SATA -> DiskBus.SATA;
            case DISK_BUS_IDE -> DiskBus.IDE;
            case DISK_BUS_SCSI -> DiskBus.SCSI;
            default -> DiskBus.DEFAULT;
        };
        return new DiskConnection(c.getPath(), format(c.getFormat()), c.getBackingPath(), format(c.getBackingFormat()),
                bus);
    }

    static HostAttachment attachment(io.virga.contracts.compute.v1.HostAttachment a) {
        AttachmentType type = switch (a.getType()) {
            case ATTACHMENT_TYPE_TAP -> AttachmentType.TAP;
            case ATTACHMENT_TYPE_VETH -> AttachmentType.VETH;
            default -> AttachmentType.NONE;
        };
        long mtu = Integer.toUnsignedLong(a.getMtu());
        if (mtu > 65535) {
            throw new InvalidGuestSpecException("attachment.mtu", "must be 68-65535 or 0, got " + mtu);
        }
        return new HostAttachment(type, a.getBridge(), a.getDeviceName(), (int) mtu, a.getNamespace());
    }

    static BootSource boot(io.virga.contracts.compute.v1.BootSource b) {
        return new BootSource(b.getKernelPath(), b.getInitrdPath(), b.getCmdline());
    }

    static ContainerSpec container(io.virga.contracts.compute.v1.ContainerSpec c) {
        ContainerMode mode = c.getMode() == io.virga.contracts.compute.v1.ContainerMode.CONTAINER_MODE_APP
                ? ContainerMode.APP : ContainerMode.SYSTEM;
        return new ContainerSpec(mode, c.getCommandList(), c.getEnvMap());
    }
}
