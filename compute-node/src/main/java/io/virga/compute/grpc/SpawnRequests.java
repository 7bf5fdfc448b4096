package io.virga.compute.grpc;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.hypervisor.BootSource;
import io.virga.hypervisor.ContainerSpec;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.HostAttachment;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.InvalidGuestSpecException;
import io.virga.hypervisor.VirtMode;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link SpawnRequest} into a {@link GuestSpec}, or an INVALID_ARGUMENT
 * whose description is {@code "<field>: <message>"} with the request's own field
 * names ({@code interfaces[1].mac_address}). Checks the wire-only rules here
 * (id shapes, unsigned ranges, enum names) and lets the SPI records check the rest.
 */
final class SpawnRequests {
    static final int MAX_VCPUS = 4096;
    static final long MAX_RAM_MB = 16L * 1024 * 1024;
    static final long MAX_DISK_GB = 1024L * 1024;
    static final int MAX_INTERFACES = 16;
    static final int MAX_DISKS = 32;

    /** SPI field names whose wire names are not just the snake case form. */
    private static final Map<String, String> WIRE_NAMES = Map.of("mac", "mac_address", "ip", "ip_address");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z]+)(\\[\\d+])?");

    private SpawnRequests() {
    }

    /** The id if it has the shape of an instance id, else INVALID_ARGUMENT on {@code instance_id}. */
    static String instanceId(String id) {
        if (!Ids.looksLike("i", id)) {
            throw GrpcErrors.invalidArgument("instance_id", id.isEmpty() ? "is required"
                    : "must be an instance id like i-7kq2m9x4b1c8, got '" + abbreviate(id) + "'");
        }
        return id;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    static GuestSpec toSpec(SpawnRequest r) {
        instanceId(r.getInstanceId());
        if (r.getProjectId().isBlank()) {
            throw GrpcErrors.invalidArgument("project_id", "is required");
        }
        long vcpus = Integer.toUnsignedLong(r.getVcpus());
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw GrpcErrors.invalidArgument("vcpus", "must be between 1 and " + MAX_VCPUS + ", got " + vcpus);
        }
        if (r.getRamMb() < 1 || r.getRamMb() > MAX_RAM_MB) {
            throw GrpcErrors.invalidArgument("ram_mb", "must be between 1 and " + MAX_RAM_MB + ", got "
                    + Long.toUnsignedString(r.getRamMb()));
        }
        GuestKind kind = r.getGuestKindValue() != 0
                ? parse("guest_kind", () -> GuestKind.valueOf(WireEnums.suffix(r.getGuestKind().name(), "GUEST_KIND_")))
                : parse("kind", () -> GuestKind.fromWire(r.getKind()));
        VirtMode mode = r.getModeValue() != 0
                ? parse("mode", () -> VirtMode.valueOf(WireEnums.suffix(r.getMode().name(), "VIRT_MODE_")))
                : parse("virt_mode", () -> VirtMode.fromWire(r.getVirtMode()));
        List<GuestSpec.NetworkInterface> nics = interfaces(r.getInterfacesList());
        List<GuestSpec.Disk> disks = disks(r.getDisksList());
        if (r.getDiskGb() > MAX_DISK_GB) {
            throw GrpcErrors.invalidArgument("disk_gb", "must be at most " + MAX_DISK_GB + ", got "
                    + Long.toUnsignedString(r.getDiskGb()));
        }
        long diskGb = r.getDiskGb() > 0 ? r.getDiskGb() : disks.stream().mapToLong(GuestSpec.Disk::sizeGb).sum();
        BootSource boot = null;
        ContainerSpec container = null;
        try {
            if (r.hasBoot()) {
                boot = WireEnums.boot(r.getBoot());
            }
            if (r.hasContainer()) {
                container = WireEnums.container(r.getContainer());
            }
            return new GuestSpec(r.getInstanceId(), r.getName(), (int) vcpus, r.getRamMb(), diskGb, kind, mode,
                    nics, disks, r.getUserData(), boot, container);
        } catch (InvalidGuestSpecException e) {
            throw invalid("", e);
        }
    }

    /** One wire disk as the SPI's, or INVALID_ARGUMENT naming {@code prefix}{@code field}. */
    static GuestSpec.Disk disk(Disk d, String prefix) {
        long size = Integer.toUnsignedLong(d.getSizeGb());
        if (size < 1 || size > MAX_DISK_GB) {
            throw GrpcErrors.invalidArgument(prefix + "size_gb", "must be between 1 and " + MAX_DISK_GB
                    + ", got " + size);
        }
        try {
            DiskConnection connection = d.hasConnection() ? WireEnums.connection(d.getConnection()) : null;
            return new GuestSpec.Disk(d.getVolumeId(), size, d.getBoot(), d.getImageId(), connection);
        } catch (InvalidGuestSpecException e) {
            throw invalid(prefix, e);
        }
    }

    private static List<GuestSpec.NetworkInterface> interfaces(List<NetworkInterface> wire) {
        if (wire.size() > MAX_INTERFACES) {
            throw GrpcErrors.invalidArgument("interfaces", "at most " + MAX_INTERFACES + " are allowed, got " + wire.size());
        }
        List<GuestSpec.NetworkInterface> result = new ArrayList<>();
        for (int i = 0; i < wire.size(); i++) {
            NetworkInterface n = wire.get(i);
            String prefix = "interfaces[" + i + "].";
            long vni = Integer.toUnsignedLong(n.getVni());
            if (vni < 1 || vni > GuestSpec.NetworkInterface.MAX_VNI) {
                throw GrpcErrors.invalidArgument(prefix + "vni", "must be between 1 and "
                        + GuestSpec.NetworkInterface.MAX_VNI + ", got " + vni);
            }
            try {
                HostAttachment attachment = n.hasAttachment() ? WireEnums.attachment(n.getAttachment()) : null;
                result.add(new GuestSpec.NetworkInterface(n.getPortId(), n.getMacAddress(), n.getIpAddress(), (int) vni,
                        attachment, n.getPrefixLength(), n.getGateway()));
            } catch (InvalidGuestSpecException e) {
                throw invalid(prefix, e);
            }
        }
        return result;
    }

    private static List<GuestSpec.Disk> disks(List<Disk> wire) {
        if (wire.size() > MAX_DISKS) {
            throw GrpcErrors.invalidArgument("disks", "at most " + MAX_DISKS + " are allowed, got " + wire.size());
        }
        List<GuestSpec.Disk> result = new ArrayList<>();
        for (int i = 0; i < wire.size(); i++) {
            result.add(disk(wire.get(i), "disks[" + i + "]."));
        }
        return result;
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(String field, Parser<T> parser) {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalidArgument(field, e.getMessage());
        }
    }

    static StatusRuntimeException invalid(String prefix, InvalidGuestSpecException e) {
        return GrpcErrors.invalidArgument(prefix + wireField(e.field()), e.reason());
    }

    /** {@code interfaces[1].portId} → {@code interfaces[1].port_id}; {@code mac} → {@code mac_address}. */
    static String wireField(String spiField) {
        StringBuilder sb = new StringBuilder();
        for (String segment : spiField.split("\\.")) {
            Matcher m = SEGMENT.matcher(segment);
            String name = m.matches() ? m.group(1) : segment;
            String index = m.matches() && m.group(2) != null ? m.group(2) : "";
            String wire = WIRE_NAMES.getOrDefault(name, CAMEL.matcher(name).replaceAll("$1_$2").toLowerCase());
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(wire).append(index);
        }
        return sb.toString();
    }
}
