package io.virga.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortAllocatorTest {

    @Test
    void portsComeFromOutsideThisMachinesEphemeralRangeAndAreFreeAndDistinct() {
        int[] ephemeral = PortAllocator.readEphemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.allocate();
            assertTrue(port < ephemeral[0] || port > ephemeral[1], port + " is in the ephemeral range");
            assertTrue(seen.add(port), "handed out twice: " + port);
            assertTrue(Ports.isFree(port), port + " is free");
        }
    }

    @Test
    void theDefaultRangeAvoidsTheEphemeralRangeAndTheFixedPortsOfVirgaUp() {
        PortAllocator allocator = new PortAllocator(32768, 60999);
        assertEquals("20000-32000", allocator.describe());
        for (int fixed : new int[] {8080, 8182, 9182, 8191, 9193, 15432, 19092, 19093, 32768, 45000}) {
            assertFalse(allocator.isCandidate(fixed), fixed + " is no candidate");
        }
    }

    @Test
    void anEphemeralRangeOverlappingThePreferredOneIsCutOut() {
        PortAllocator allocator = new PortAllocator(25000, 60999);
        assertEquals("20000-24999", allocator.describe());
        assertFalse(allocator.isCandidate(25000));
    }

    @Test
    void anEphemeralRangeCoveringThePreferredOneFallsBackToTheRestOfThePortSpace() {
        PortAllocator allocator = new PortAllocator(15000, 40000);
        assertEquals("10000-14999, 40001-65535", allocator.describe());
        assertFalse(allocator.isCandidate(15432));
    }

    @Test
    void portsInUseAreSkippedAndNoPortIsHandedOutTwice() throws IOException {
        int x = Ports.allocate();
        int y = Ports.allocate();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.LOOPBACK, x));
            PortAllocator allocator = new PortAllocator(32768, 60999);
            IntPredicate onlyXorY = p -> (p == x || p == y) && Ports.isFree(p);
            assertEquals(y, allocator.allocate(onlyXorY));
            assertThrows(DevstackException.class, () -> allocator.allocate(onlyXorY),
                    "x is in use and y was handed out already");
        }
    }

    @Test
    void readsTheRangeFileAndFallsBackToLinuxDefaults(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("range");
        Files.writeString(file, "40000\t50000\n");
        assertArrayEquals(new int[] {40000, 50000}, PortAllocator.readEphemeralRange(file));
        Files.writeString(file, "garbage");
        assertArrayEquals(new int[] {32768, 60999}, PortAllocator.readEphemeralRange(file));
        assertArrayEquals(new int[] {32768, 60999}, PortAllocator.readEphemeralRange(tmp.resolve("absent")));
    }
}
