package io.virga.compute.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.BootSource;
import io.virga.contracts.compute.v1.ContainerMode;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.GuestKind;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.VirtMode;
import io.virga.contracts.storage.v1.Image;
import io.virga.devstack.testing.InfraTestResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image resolution on the node against a storage-svc stand-in ({@link FakeStorage}) over real gRPC. */
@QuarkusTest
@TestProfile(ImageResolverTest.StorageOnOwnPort.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class ImageResolverTest {

    /**
     * The node's gRPC server (which also serves {@link FakeStorage}) on a free port chosen before start,
     * and the storage client pointed at it: the resolver's client is made while the server starts, before
     * a port 0 would be known.
     */
    public static class StorageOnOwnPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("quarkus.grpc.server.test-port", Integer.toString(port),
                    "quarkus.grpc.clients.storage.port", Integer.toString(port));
        }
    }
    @Inject
    ImageResolver resolver;

    static Image image(String id, String format, String location, Map<String, String> props) {
        return Image.newBuilder().setId(id).setProjectId("prj-test").setName(id).setDiskFormat(format)
                .setStatus(location.isEmpty() ? "QUEUED" : "ACTIVE").setVisibility("private").setLocation(location)
                .putAllProperties(props).build();
    }

    @BeforeAll
    static void images() {
        FakeStorage.put(image("img-disk", "qcow2", "/var/lib/virga/images/img-disk", Map.of()));
        FakeStorage.put(image("img-kernel", "raw", "/var/lib/virga/images/vmlinuz", Map.of()));
        FakeStorage.put(image("img-initrd", "raw", "/var/lib/virga/images/initrd", Map.of()));
        FakeStorage.put(image("img-direct", "qcow2", "/var/lib/virga/images/img-direct", Map.of(
                "kernel_id", "img-kernel", "ramdisk_id", "img-initrd", "os_command_line", "console=ttyS0 quiet")));
        FakeStorage.put(image("img-rootfs", "oci", "/var/lib/virga/images/busybox.tar", Map.of("container_mode", "app",
                "kind", "container")));
        FakeStorage.put(image("img-app", "oci", "/var/lib/virga/images/busybox.tar", Map.of("container_mode", "app",
                "kind", "container", "container_command", "echo hello; exit 3")));
        FakeStorage.put(image("img-app-argv", "oci", "/var/lib/virga/images/busybox.tar", Map.of("container_mode", "app",
                "container_command", "[\"/bin/echo\", \"a b\"]")));
        FakeStorage.put(image("img-app-bad", "oci", "/var/lib/virga/images/busybox.tar", Map.of("container_command", "[1, ")));
        FakeStorage.put(image("img-fullonly", "qcow2", "/var/lib/virga/images/old-os", Map.of("virt_mode", "full")));
        FakeStorage.put(image("img-empty", "qcow2", "", Map.of()));
    }

    static SpawnRequest.Builder vm(String imageId) {
        return SpawnRequest.newBuilder().setInstanceId("i-7kq2m9x4b1c8").setProjectId("prj-test").setName("vm")
                .setVcpus(1).setRamMb(256).setGuestKind(GuestKind.GUEST_KIND_VM).setMode(VirtMode.VIRT_MODE_PARA)
                .addDisks(Disk.newBuilder().setVolumeId("v-1").setSizeGb(10).setBoot(true).setImageId(imageId));
    }

    @Test
    void aDiskWithAnImageBecomesALocalOverlayOnTheImagesFile() {
        SpawnRequest r = resolver.resolveAlways(vm("img-disk").build());
        DiskConnection c = r.getDisks(0).getConnection();
        assertEquals("", c.getPath());
        assertEquals(DiskFormat.DISK_FORMAT_QCOW2, c.getFormat());
        assertEquals("/var/lib/virga/images/img-disk", c.getBackingPath());
        assertEquals(DiskFormat.DISK_FORMAT_QCOW2, c.getBackingFormat());
        assertFalse(r.hasBoot());
    }

    @Test
    void kernelAndRamdiskPropertiesGiveADirectKernelBoot() {
        BootSource boot = resolver.resolveAlways(vm("img-direct").build()).getBoot();
        assertEquals("/var/lib/virga/images/vmlinuz", boot.getKernelPath());
        assertEquals("/var/lib/virga/images/initrd", boot.getInitrdPath());
        assertEquals("console=ttyS0 quiet", boot.getCmdline());
    }

    @Test
    void aContainerImageIsTheRootFilesystemAndGivesTheMode() {
        SpawnRequest r = resolver.resolveAlways(vm("img-rootfs").setGuestKind(GuestKind.GUEST_KIND_CONTAINER).build());
        assertEquals(DiskFormat.DISK_FORMAT_TAR, r.getDisks(0).getConnection().getFormat());
        assertEquals(DiskFormat.DISK_FORMAT_TAR, r.getDisks(0).getConnection().getBackingFormat());
        assertEquals(ContainerMode.CONTAINER_MODE_APP, r.getContainer().getMode());
    }

    @Test
    void anAppImagesCommandIsTheContainersProcessAsShellOrExecForm() {
        SpawnRequest shell = resolver.resolveAlways(vm("img-app").setGuestKind(GuestKind.GUEST_KIND_CONTAINER).build());
        assertEquals(java.util.List.of("/bin/sh", "-c", "echo hello; exit 3"), shell.getContainer().getCommandList());
        assertEquals(ContainerMode.CONTAINER_MODE_APP, shell.getContainer().getMode());
        SpawnRequest exec = resolver.resolveAlways(vm("img-app-argv").setGuestKind(GuestKind.GUEST_KIND_CONTAINER).build());
        assertEquals(java.util.List.of("/bin/echo", "a b"), exec.getContainer().getCommandList());
        SpawnRequest own = resolver.resolveAlways(vm("img-app").setGuestKind(GuestKind.GUEST_KIND_CONTAINER)
                .setContainer(io.virga.contracts.compute.v1.ContainerSpec.newBuilder().addCommand("/bin/true")).build());
        assertEquals(java.util.List.of("/bin/true"), own.getContainer().getCommandList(), "the request's command wins");
        assertPrecondition("image img-app-bad has container_command '[1, '; expected a JSON array of strings or a shell "
                + "command", vm("img-app-bad").setGuestKind(GuestKind.GUEST_KIND_CONTAINER));
    }

    @Test
    void aBootVolumeKeepsItsOwnFileAndTheImageItNamesStillGivesTheKernel() {
        SpawnRequest given = vm("img-direct").setDisks(0, vm("img-direct").getDisks(0).toBuilder()
                .setConnection(DiskConnection.newBuilder().setPath("/volumes/v-boot/disk.qcow2")
                        .setFormat(DiskFormat.DISK_FORMAT_QCOW2))).build();
        SpawnRequest resolved = resolver.resolveAlways(given);
        assertEquals(given.getDisks(0), resolved.getDisks(0), "the volume's connection is kept as it is");
        assertEquals("/var/lib/virga/images/vmlinuz", resolved.getBoot().getKernelPath());
        assertEquals("/var/lib/virga/images/initrd", resolved.getBoot().getInitrdPath());
    }

    @Test
    void whatTheRequestSaysIsKept() {
        SpawnRequest given = vm("img-disk").setDisks(0, vm("img-disk").getDisks(0).toBuilder()
                .setConnection(DiskConnection.newBuilder().setPath("/volumes/v-1").setFormat(DiskFormat.DISK_FORMAT_RAW)))
                .build();
        assertEquals(given, resolver.resolveAlways(given));
        SpawnRequest noImages = vm("").build();
        assertEquals(noImages, resolver.resolveAlways(noImages));
        assertSame(noImages, resolver.resolve(noImages), "resolution is off for the sim by default");
    }

    @Test
    void unknownUnreadyAndMismatchedImagesAreFailedPreconditions() {
        assertPrecondition("disks[0].image_id: image img-nope not found in storage-svc", vm("img-nope"));
        assertPrecondition("disks[0].image_id: image img-empty has no data on its host yet (status QUEUED)", vm("img-empty"));
        assertPrecondition("image img-fullonly requires virt_mode full, the spawn asks for para", vm("img-fullonly"));
        assertPrecondition("image img-rootfs requires kind container, the spawn asks for vm", vm("img-rootfs"));
        SpawnRequest.Builder otherProject = vm("img-disk").setProjectId("prj-other");
        assertPrecondition("disks[0].image_id: image img-disk not found in storage-svc", otherProject);
    }

    void assertPrecondition(String message, SpawnRequest.Builder r) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> resolver.resolveAlways(r.build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(message, e.getStatus().getDescription());
    }
}
