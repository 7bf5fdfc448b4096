package io.virga.hypervisor.qemu;

import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared conformance suite against real QEMU (TCG here). Its guests boot from an overlay on the
 * project's disk.qcow2 without a kernel (the BIOS finds no boot loader and waits), which is all the
 * suite needs: a VM that QEMU runs. The boot tests ({@link QemuBootTest}) boot the guest OS.
 */
class QemuHypervisorConformanceTest extends HypervisorConformanceTest {
    private static Path image;
    private Path stateDir;

    @BeforeAll
    static void images() throws Exception {
        image = GuestImages.ensureBuilt().resolve("disk.qcow2");
    }

    /** The suite's guests boot no OS, and QEMU's PCI hot-unplug waits for the guest; QemuBootTest proves unplug. */
    @Override
    protected boolean hotUnplugNeedsGuestOs() {
        return true;
    }

    @Override
    protected Hypervisor createHypervisor() throws Exception {
        stateDir = Files.createTempDirectory("qemu-conf");
        return new QemuHypervisor(QemuOptions.of("qemu-conf", stateDir, new HostCapacity(4, 1024, 10)));
    }

    /** A second QEMU host (its own state directory) for the migration checks, cold and live. */
    @Override
    protected Hypervisor createPeerHypervisor() throws Exception {
        Path dir = Files.createDirectories(stateDir.resolve("peer-" + System.nanoTime()));
        return new QemuHypervisor(QemuOptions.of("qemu-peer", dir, new HostCapacity(4, 1024, 10)));
    }

    @Override
    protected void disposeHypervisor(Hypervisor driver) throws Exception {
        QemuHypervisor q = (QemuHypervisor) driver;
        q.close();
        QemuRuntime.deleteTree(q.runtime().options.stateDir());
    }

    @Override
    protected GuestSpec.Builder guest(String instanceId) {
        return super.guest(instanceId).addDisk(new GuestSpec.Disk("root-" + instanceId, 1, true, "img",
                DiskConnection.overlayOn(image.toString(), DiskFormat.QCOW2)));
    }
}
