package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The runc driver passes the driver conformance suite with real containers (busybox system containers). */
class RuncHypervisorConformanceTest extends HypervisorConformanceTest {
    @TempDir
    Path stateDir;

    @Override
    protected Hypervisor createHypervisor() throws Exception {
        assumeTrue(TestImages.runcUsable(), "runc, busybox and root are needed");
        TestImages.busyboxRootfsTar();
        return new RuncHypervisor(RuncOptions.builder()
                .capacity(new HostCapacity(4, 1024, 10))
                .stateDir(stateDir.resolve("host"))
                .build());
    }

    /** Another host: a second driver on its own state directory. */
    @Override
    protected Hypervisor createPeerHypervisor() {
        return new RuncHypervisor(RuncOptions.builder()
                .hostName("peer-host")
                .capacity(new HostCapacity(4, 1024, 10))
                .stateDir(stateDir.resolve("peer-" + System.nanoTime()))
                .build());
    }

    @Override
    protected GuestSpec.Builder guest(String instanceId) {
        try {
            return super.guest(instanceId).kind(GuestKind.CONTAINER)
                    .addDisk(new GuestSpec.Disk("root-" + instanceId, 1, true, null,
                            DiskConnection.overlayOn(TestImages.busyboxRootfsTar().toString(), DiskFormat.TAR)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
