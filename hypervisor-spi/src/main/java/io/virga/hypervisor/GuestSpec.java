package io.virga.hypervisor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a driver needs to build one guest. Valid by construction: the
 * compact constructor rejects bad values with an {@link InvalidGuestSpecException}
 * naming the field.
 *
 * @param instanceId the guest's identity on this host, 1-64 of {@code [A-Za-z0-9._-]}
 *                   (drivers use it in file and process names)
 * @param name       the instance's display name, 1-255 characters, no control characters
 * @param vcpus      virtual CPUs, at least 1
 * @param ramMb      memory in MiB, at least 1
 * @param diskGb     local disk the guest takes from the host, GiB, at least 0
 * @param kind       vm, container or desktop
 * @param virtMode   full, para or hybrid
 * @param interfaces network interfaces in guest order; port ids and MAC addresses unique
 * @param disks      attached volumes in guest order; volume ids unique, at most one boot disk
 * @param userData   cloud-init style user data, at most 65535 bytes of UTF-8; {@code ""} when none
 * @param boot       direct kernel boot for a VM, or {@code null} to boot from the boot disk
 * @param container  what a container runs, or {@code null} (a container then runs in
 *                   {@link ContainerMode#SYSTEM} mode with its image's defaults)
 */
public record GuestSpec(String instanceId, String name, int vcpus, long ramMb, long diskGb, GuestKind kind,
                        VirtMode virtMode, List<NetworkInterface> interfaces, List<Disk> disks, String userData,
                        BootSource boot, ContainerSpec container) {
    public static final int MAX_USER_DATA_BYTES = 65_535;

    /** @throws InvalidGuestSpecException naming the field at fault */
    public GuestSpec {
        Checks.instanceId("instanceId", instanceId);
        Checks.text("name", name, 255);
        if (vcpus < 1) {
            throw new InvalidGuestSpecException("vcpus", "must be at least 1, got " + vcpus);
        }
        if (ramMb < 1) {
            throw new InvalidGuestSpecException("ramMb", "must be at least 1, got " + ramMb);
        }
        if (diskGb < 0) {
            throw new InvalidGuestSpecException("diskGb", "must not be negative, got " + diskGb);
        }
        if (kind == null) {
            throw new InvalidGuestSpecException("kind", "is required (" + GuestKind.allowed() + ")");
        }
        if (virtMode == null) {
            throw new InvalidGuestSpecException("virtMode", "is required (" + VirtMode.allowed() + ")");
        }
        interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
        disks = List.copyOf(disks == null ? List.of() : disks);
        userData = userData == null ? "" : userData;
        if (userData.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA_BYTES) {
            throw new InvalidGuestSpecException("userData", "must be at most " + MAX_USER_DATA_BYTES + " bytes");
        }
        if (boot != null && kind == GuestKind.CONTAINER) {
            throw new InvalidGuestSpecException("boot", "a container shares the host kernel and takes no boot source");
        }
        if (container != null && kind != GuestKind.CONTAINER) {
            throw new InvalidGuestSpecException("container", "only a container guest takes a container spec, not a " + kind.wireName());
        }
        Set<String> ports = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (int i = 0; i < interfaces.size(); i++) {
            NetworkInterface nic = interfaces.get(i);
            if (!ports.add(nic.portId())) {
                throw new InvalidGuestSpecException("interfaces[" + i + "].portId", nic.portId() + " appears twice");
            }
            if (!macs.add(nic.mac())) {
                throw new InvalidGuestSpecException("interfaces[" + i + "].mac", nic.mac() + " appears twice");
            }
        }
        Set<String> volumes = new HashSet<>();
        long bootDisks = 0;
        for (int i = 0; i < disks.size(); i++) {
            Disk disk = disks.get(i);
            if (!volumes.add(disk.volumeId())) {
                throw new InvalidGuestSpecException("disks[" + i + "].volumeId", disk.volumeId() + " appears twice");
            }
            bootDisks += disk.boot() ? 1 : 0;
            if (bootDisks > 1) {
                throw new InvalidGuestSpecException("disks[" + i + "].boot", "only one disk may be the boot disk");
            }
        }
    }

    /** The spec without a boot source or container spec (the spine's shape). */
    public GuestSpec(String instanceId, String name, int vcpus, long ramMb, long diskGb, GuestKind kind,
                     VirtMode virtMode, List<NetworkInterface> interfaces, List<Disk> disks, String userData) {
        this(instanceId, name, vcpus, ramMb, diskGb, kind, virtMode, interfaces, disks, userData, null, null);
    }

    /** The boot disk, if any. */
    public java.util.Optional<Disk> bootDisk() {
        return disks.stream().filter(Disk::boot).findFirst();
    }

    /** A builder with no interfaces, no disks and no user data; name defaults to the instance id. */
    public static Builder builder(String instanceId) {
        return new Builder(instanceId);
    }

    /**
     * One network interface of a guest.
     *
     * @param portId the network port it is plugged into, required
     * @param mac    unicast MAC address {@code aa:bb:cc:dd:ee:ff} (stored in lower case)
     * @param ip     its fixed IPv4 or IPv6 address, or {@code null} when none
     * @param vni    the virtual network identifier, 1 to 2^24-1
     * @param attachment the host side of the NIC; {@link HostAttachment#NONE} when null
     * @param prefixLength the subnet's prefix length (0–32 for IPv4, 0–128 for IPv6); 0 = unknown, and
     *               drivers then assume /24 (IPv4) or /64 (IPv6)
     * @param gateway the subnet's gateway (same family as {@code ip}), the guest's default route; {@code null}
     *               when none
     */
    public record NetworkInterface(String portId, String mac, String ip, int vni, HostAttachment attachment,
                                   int prefixLength, String gateway) {
        public static final int MAX_VNI = (1 << 24) - 1;

        /** An interface with no host attachment. */
        public NetworkInterface(String portId, String mac, String ip, int vni) {
            this(portId, mac, ip, vni, HostAttachment.NONE);
        }

        /** An interface whose subnet's prefix and gateway are not known. */
        public NetworkInterface(String portId, String mac, String ip, int vni, HostAttachment attachment) {
            this(portId, mac, ip, vni, attachment, 0, null);
        }

        public NetworkInterface {
            attachment = attachment == null ? HostAttachment.NONE : attachment;
            Checks.text("portId", portId, 64);
            mac = Checks.mac("mac", mac);
            ip = ip == null || ip.isEmpty() ? null : Checks.ipLiteral("ip", ip);
            if (vni < 1 || vni > MAX_VNI) {
                throw new InvalidGuestSpecException("vni", "must be 1-" + MAX_VNI + ", got " + vni);
            }
            boolean v6 = ip != null && ip.contains(":");
            if (prefixLength < 0 || prefixLength > (v6 ? 128 : 32)) {
                throw new InvalidGuestSpecException("prefixLength", "must be 0-" + (v6 ? 128 : 32) + ", got " + prefixLength);
            }
            gateway = gateway == null || gateway.isEmpty() ? null : Checks.ipLiteral("gateway", gateway);
            if (gateway != null && (ip == null || gateway.contains(":") != v6)) {
                throw new InvalidGuestSpecException("gateway", "must be an address of the same family as ip, got " + gateway);
            }
        }

        /** The prefix length to configure: the subnet's, else /24 for IPv4 and /64 for IPv6. */
        public int effectivePrefix() {
            return prefixLength > 0 ? prefixLength : ip != null && ip.contains(":") ? 64 : 24;
        }
    }

    /**
     * One volume attached to a guest.
     *
     * @param volumeId the volume, required
     * @param sizeGb   its size, at least 1 GiB
     * @param boot     whether the guest boots from it
     * @param imageId  the image it was created from, or {@code null}
     * @param connection where its bytes are and how the guest sees it, or {@code null} for a driver that
     *                 keeps no real disks ({@code sim}); real drivers reject a disk without one
     */
    public record Disk(String volumeId, long sizeGb, boolean boot, String imageId, DiskConnection connection) {
        /** A disk with no connection info (the spine's shape). */
        public Disk(String volumeId, long sizeGb, boolean boot, String imageId) {
            this(volumeId, sizeGb, boot, imageId, null);
        }

        public Disk {
            Checks.text("volumeId", volumeId, 64);
            if (sizeGb < 1) {
                throw new InvalidGuestSpecException("sizeGb", "must be at least 1, got " + sizeGb);
            }
            imageId = imageId == null || imageId.isEmpty() ? null : Checks.text("imageId", imageId, 64);
        }
    }

    /** Builds a {@link GuestSpec}; {@link #build()} validates. */
    public static final class Builder {
        private final String instanceId;
        private String name;
        private int vcpus = 1;
        private long ramMb = 512;
        private long diskGb;
        private GuestKind kind = GuestKind.VM;
        private VirtMode virtMode = VirtMode.PARA;
        private final List<NetworkInterface> interfaces = new ArrayList<>();
        private final List<Disk> disks = new ArrayList<>();
        private String userData = "";
        private BootSource boot;
        private ContainerSpec container;

        private Builder(String instanceId) {
            this.instanceId = instanceId;
            this.name = instanceId;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder vcpus(int value) {
            this.vcpus = value;
            return this;
        }

        public Builder ramMb(long value) {
            this.ramMb = value;
            return this;
        }

        public Builder diskGb(long value) {
            this.diskGb = value;
            return this;
        }

        public Builder kind(GuestKind value) {
            this.kind = value;
            return this;
        }

        public Builder virtMode(VirtMode value) {
            this.virtMode = value;
            return this;
        }

        public Builder addInterface(NetworkInterface value) {
            this.interfaces.add(value);
            return this;
        }

        public Builder addDisk(Disk value) {
            this.disks.add(value);
            return this;
        }

        public Builder userData(String value) {
            this.userData = value;
            return this;
        }

        public Builder boot(BootSource value) {
            this.boot = value;
            return this;
        }

        public Builder container(ContainerSpec value) {
            this.container = value;
            return this;
        }

        public GuestSpec build() {
            return new GuestSpec(instanceId, name, vcpus, ramMb, diskGb, kind, virtMode, interfaces, disks, userData,
                    boot, container);
        }
    }
}
