package io.virga.compute.image;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.config.NodeSettings;
import io.virga.contracts.compute.v1.BootSource;
import io.virga.contracts.compute.v1.ContainerMode;
import io.virga.contracts.compute.v1.ContainerSpec;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskBus;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.GuestKind;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.VirtMode;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the images a spawn names into what the driver needs, so that the control plane need not know
 * host paths: a disk with an {@code image_id} and no connection becomes a local overlay on the image's
 * file ({@code Image.location} from storage-svc, {@code GetImage}); a VM image with {@code kernel_id} /
 * {@code ramdisk_id} properties gives a direct kernel boot (their images' files, command line from
 * {@code os_command_line}); a container image ({@code tar} / {@code oci}) is the container's root
 * filesystem, its {@code container_mode} property the mode and its {@code container_command} property
 * the process ({@link ContainerCommand}) when the request names none. An image's
 * {@code kind} and {@code virt_mode} properties are requirements: a spawn that differs is refused.
 *
 * <p>What the request already says (a connection, a boot source, a container mode) is kept. Off for the
 * {@code sim} driver unless {@code virga.compute.resolve-images=true}.
 *
 * <p>Errors (gRPC): FAILED_PRECONDITION naming the field for an unknown image, one without data, or one
 * whose requirements the spawn does not meet; UNAVAILABLE when storage-svc cannot be reached.
 */
@Singleton
public class ImageResolver {
    private static final long DEADLINE_SECONDS = 15;

    private final StorageServiceGrpc.StorageServiceBlockingStub storage;
    private final boolean enabled;

    public ImageResolver(@GrpcClient("storage") StorageServiceGrpc.StorageServiceBlockingStub storage,
                         ComputeConfig config) {
        this.storage = storage;
        this.enabled = NodeSettings.resolveImages(config);
    }

    /** {@code request} with its images resolved, or unchanged when resolution is off or nothing needs it. */
    public SpawnRequest resolve(SpawnRequest request) {
        return enabled ? resolveAlways(request) : request;
    }

    /** Resolves whatever the setting says (for tests of the resolution itself). */
    SpawnRequest resolveAlways(SpawnRequest r) {
        SpawnRequest.Builder b = r.toBuilder();
        Image bootImage = null;
        for (int i = 0; i < r.getDisksCount(); i++) {
            Disk d = r.getDisks(i);
            if (d.hasConnection() || d.getImageId().isEmpty()) {
                if (d.getBoot() && d.hasConnection() && !d.getImageId().isEmpty()) {
                    // a boot volume (its own file): the image it names still gives the boot properties
                    bootImage = image(r.getProjectId(), d.getImageId(), "disks[" + i + "].image_id");
                }
                continue;
            }
            String field = "disks[" + i + "].image_id";
            Image image = image(r.getProjectId(), d.getImageId(), field);
            DiskFormat format = formatOf(image, field);
            b.setDisks(i, d.toBuilder().setConnection(DiskConnection.newBuilder()
                    .setFormat(format == DiskFormat.DISK_FORMAT_TAR ? DiskFormat.DISK_FORMAT_TAR : DiskFormat.DISK_FORMAT_QCOW2)
                    .setBackingPath(locationOf(image, field))
                    .setBackingFormat(format)
                    .setBus(DiskBus.DISK_BUS_DEFAULT)));
            if (d.getBoot()) {
                bootImage = image;
            }
        }
        if (bootImage != null) {
            applyProperties(r, b, bootImage);
        }
        return b.build();
    }

    private void applyProperties(SpawnRequest r, SpawnRequest.Builder b, Image image) {
        Map<String, String> props = image.getPropertiesMap();
        String kind = kindOf(r);
        String mode = modeOf(r);
        require(image, "kind", kind, props);
        require(image, "virt_mode", mode, props);
        if (kind.equals("container")) {
            String command = props.getOrDefault("container_command", "");
            if (!command.isBlank() && (!r.hasContainer() || r.getContainer().getCommandCount() == 0)) {
                ContainerSpec base = b.hasContainer() ? b.getContainer() : ContainerSpec.getDefaultInstance();
                b.setContainer(base.toBuilder().clearCommand().addAllCommand(ContainerCommand.parse(image.getId(), command)));
            }
            String wanted = props.getOrDefault("container_mode", "");
            boolean unspecified = !r.hasContainer() || r.getContainer().getMode() == ContainerMode.CONTAINER_MODE_UNSPECIFIED;
            if (unspecified && !wanted.isEmpty()) {
                ContainerMode m = switch (wanted.toLowerCase(Locale.ROOT)) {
                    case "app" -> ContainerMode.CONTAINER_MODE_APP;
                    case "system" -> ContainerMode.CONTAINER_MODE_SYSTEM;
                    default -> throw precondition("image " + image.getId() + " has container_mode '" + wanted
                            + "'; expected app or system");
                };
                ContainerSpec base = b.hasContainer() ? b.getContainer() : ContainerSpec.getDefaultInstance();
                b.setContainer(base.toBuilder().setMode(m));
            }
            return;
        }
        String kernelId = props.getOrDefault("kernel_id", "");
        if (r.hasBoot() || kernelId.isEmpty()) {
            return;
        }
        BootSource.Builder boot = BootSource.newBuilder()
                .setKernelPath(locationOf(image(r.getProjectId(), kernelId, "kernel_id of image " + image.getId()),
                        "kernel_id of image " + image.getId()))
                .setCmdline(props.getOrDefault("os_command_line", ""));
        String ramdiskId = props.getOrDefault("ramdisk_id", "");
        if (!ramdiskId.isEmpty()) {
            String field = "ramdisk_id of image " + image.getId();
            boot.setInitrdPath(locationOf(image(r.getProjectId(), ramdiskId, field), field));
        }
        b.setBoot(boot);
    }

    private static void require(Image image, String property, String actual, Map<String, String> props) {
        String wanted = props.getOrDefault(property, "").toLowerCase(Locale.ROOT);
        if (!wanted.isEmpty() && !wanted.equals(actual)) {
            throw precondition("image " + image.getId() + " requires " + property + " " + wanted + ", the spawn asks for "
                    + (actual.isEmpty() ? "none" : actual));
        }
    }

    private static String kindOf(SpawnRequest r) {
        return r.getGuestKind() != GuestKind.GUEST_KIND_UNSPECIFIED
                ? r.getGuestKind().name().substring("GUEST_KIND_".length()).toLowerCase(Locale.ROOT) : r.getKind();
    }

    private static String modeOf(SpawnRequest r) {
        return r.getMode() != VirtMode.VIRT_MODE_UNSPECIFIED
                ? r.getMode().name().substring("VIRT_MODE_".length()).toLowerCase(Locale.ROOT) : r.getVirtMode();
    }

    private Image image(String projectId, String imageId, String field) {
        try {
            return storage.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .getImage(GetImageRequest.newBuilder().setProjectId(projectId).setId(imageId).build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT) {
                throw precondition(field + ": image " + imageId + " not found in storage-svc");
            }
            throw Status.UNAVAILABLE.withDescription("cannot look up image " + imageId + " in storage-svc: "
                    + code + " " + e.getStatus().getDescription()).asRuntimeException();
        }
    }

    private static DiskFormat formatOf(Image image, String field) {
        return switch (image.getDiskFormat().toLowerCase(Locale.ROOT)) {
            case "qcow2" -> DiskFormat.DISK_FORMAT_QCOW2;
            case "raw" -> DiskFormat.DISK_FORMAT_RAW;
            case "tar", "oci" -> DiskFormat.DISK_FORMAT_TAR;
            default -> throw precondition(field + ": image " + image.getId() + " has disk format '"
                    + image.getDiskFormat() + "'; this node runs qcow2, raw, tar and oci");
        };
    }

    private static String locationOf(Image image, String field) {
        String location = image.getLocation();
        if (location.isEmpty() || !location.startsWith("/")) {
            throw precondition(field + ": image " + image.getId() + " has no data on its host yet (status "
                    + image.getStatus() + ")");
        }
        return location;
    }

    private static StatusRuntimeException precondition(String message) {
        return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
    }
}
