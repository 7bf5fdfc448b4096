package io.virga.compute.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.AttachmentType;
import io.virga.contracts.compute.v1.BootSource;
import io.virga.contracts.compute.v1.ContainerMode;
import io.virga.contracts.compute.v1.ContainerSpec;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskBus;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.GuestKind;
import io.virga.contracts.compute.v1.HostAttachment;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.VirtMode;
import io.virga.hypervisor.GuestSpec;
import org.junit.jupiter.api.Test;

/** The new fields of a SpawnRequest reach the driver's spec; enums win over the deprecated strings. */
class SpawnMappingTest {

    static SpawnRequest.Builder base() {
        return SpawnRequest.newBuilder().setInstanceId("i-7kq2m9x4b1c8").setProjectId("prj-1").setName("web")
                .setVcpus(1).setRamMb(256).setKind("vm").setVirtMode("para");
    }

    static String invalid(SpawnRequest.Builder r) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SpawnRequests.toSpec(r.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        return e.getStatus().getDescription();
    }

    @Test
    void enumsWinOverTheDeprecatedStrings() {
        GuestSpec spec = SpawnRequests.toSpec(base().setGuestKind(GuestKind.GUEST_KIND_CONTAINER)
                .setMode(VirtMode.VIRT_MODE_FULL).build());
        assertEquals(io.virga.hypervisor.GuestKind.CONTAINER, spec.kind());
        assertEquals(io.virga.hypervisor.VirtMode.FULL, spec.virtMode());
        assertEquals(io.virga.hypervisor.GuestKind.VM, SpawnRequests.toSpec(base().build()).kind(), "strings still work");
    }

    @Test
    void diskConnectionsAttachmentsBootAndContainerAreMapped() {
        GuestSpec spec = SpawnRequests.toSpec(base().setDiskGb(3)
                .addInterfaces(NetworkInterface.newBuilder().setPortId("p-1").setMacAddress("52:54:00:00:00:01").setVni(7)
                        .setAttachment(HostAttachment.newBuilder().setType(AttachmentType.ATTACHMENT_TYPE_TAP)
                                .setBridge("br-7").setDeviceName("tap-p1").setMtu(1450)))
                .addDisks(Disk.newBuilder().setVolumeId("v-1").setSizeGb(10).setBoot(true)
                        .setConnection(DiskConnection.newBuilder().setBackingPath("/img/disk.qcow2")
                                .setBackingFormat(DiskFormat.DISK_FORMAT_QCOW2).setFormat(DiskFormat.DISK_FORMAT_QCOW2)
                                .setBus(DiskBus.DISK_BUS_SATA)))
                .setBoot(BootSource.newBuilder().setKernelPath("/img/vmlinuz").setCmdline("quiet"))
                .build());
        assertEquals(3, spec.diskGb(), "disk_gb wins over the sum of the disks");
        var c = spec.disks().get(0).connection();
        assertNull(c.path());
        assertEquals("/img/disk.qcow2", c.backingPath());
        assertEquals(io.virga.hypervisor.DiskBus.SATA, c.bus());
        var a = spec.interfaces().get(0).attachment();
        assertEquals(io.virga.hypervisor.AttachmentType.TAP, a.type());
        assertEquals("br-7", a.bridge());
        assertEquals(1450, a.mtu());
        assertEquals("/img/vmlinuz", spec.boot().kernelPath());
        assertNull(spec.boot().initrdPath());

        GuestSpec container = SpawnRequests.toSpec(base().setKind("container").setContainer(ContainerSpec.newBuilder()
                .setMode(ContainerMode.CONTAINER_MODE_APP).addCommand("sleep").addCommand("60").putEnv("A", "1")).build());
        assertEquals(io.virga.hypervisor.ContainerMode.APP, container.container().mode());
        assertEquals(java.util.List.of("sleep", "60"), container.container().command());
        assertEquals(io.virga.hypervisor.ContainerMode.SYSTEM, SpawnRequests.toSpec(base().setKind("container")
                .setContainer(ContainerSpec.getDefaultInstance()).build()).container().mode(), "unspecified: system");
    }

    @Test
    void badDataPlaneFieldsAreNamedInWireTerms() {
        assertEquals("disks[0].connection.format: is required", invalid(base().addDisks(Disk.newBuilder()
                .setVolumeId("v-1").setSizeGb(1).setConnection(DiskConnection.newBuilder().setPath("/v")))));
        assertEquals("disks[0].connection.backing_path: must be absolute, got 'img.qcow2'", invalid(base().addDisks(
                Disk.newBuilder().setVolumeId("v-1").setSizeGb(1).setConnection(DiskConnection.newBuilder()
                        .setBackingPath("img.qcow2").setFormat(DiskFormat.DISK_FORMAT_QCOW2)
                        .setBackingFormat(DiskFormat.DISK_FORMAT_QCOW2)))));
        assertEquals("interfaces[0].attachment.mtu: must be 68-65535 or 0, got 10", invalid(base().addInterfaces(
                NetworkInterface.newBuilder().setPortId("p-1").setMacAddress("52:54:00:00:00:01").setVni(7)
                        .setAttachment(HostAttachment.newBuilder().setMtu(10)))));
        assertEquals("boot.kernel_path: must be an absolute path, got 'vmlinuz'",
                invalid(base().setBoot(BootSource.newBuilder().setKernelPath("vmlinuz"))));
        assertEquals("boot: a container shares the host kernel and takes no boot source",
                invalid(base().setKind("container").setBoot(BootSource.newBuilder().setKernelPath("/vmlinuz"))));
        assertEquals("container: only a container guest takes a container spec, not a vm",
                invalid(base().setContainer(ContainerSpec.getDefaultInstance())));
    }
}
