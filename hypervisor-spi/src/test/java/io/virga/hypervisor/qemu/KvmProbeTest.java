package io.virga.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.HostCapacity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvmProbeTest {

    private static boolean qemuInstalled() {
        return QemuOptions.of("probe", Path.of("/tmp"), new HostCapacity(1, 64, 1)).qemuInstalled();
    }

    @Test
    void theBootSectorIsSignedAndWritesKToTheFirstSerialPort() {
        byte[] s = KvmProbe.bootSector();
        assertEquals(512, s.length);
        assertEquals(0x55, s[510] & 0xff);
        assertEquals(0xAA, s[511] & 0xff);
        assertEquals('K', s[4]);
    }

    @Test
    void theProbeGuestRunsUnderTcg() {
        assumeTrue(qemuInstalled(), "qemu-system-x86_64 is not installed");
        assertTrue(KvmProbe.runsBootSector("qemu-system-x86_64", List.of("-accel", "tcg")),
                "a working accelerator runs the probe guest to its K");
    }

    @Test
    void anAcceleratorThatCannotStartIsNotUsable() {
        assumeTrue(qemuInstalled(), "qemu-system-x86_64 is not installed");
        assertFalse(KvmProbe.runsBootSector("qemu-system-x86_64", List.of("-accel", "no-such-accel")));
    }
}
