package io.virga.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.DiskBus;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sim's capabilities keep and write, beyond the conformance suite. */
class SimCapabilitiesTest {
    @TempDir
    Path dir;

    private SimHypervisor host(String name, Path stateDir) {
        return new SimHypervisor(SimOptions.builder().hostName(name).capacity(new HostCapacity(4, 4096, 100))
                .stateDir(stateDir).build());
    }

    private static GuestSpec spec(String id) {
        return GuestSpec.builder(id).ramMb(512).addDisk(new GuestSpec.Disk("v-boot", 10, true, "img-1")).build();
    }

    @Test
    void hotPluggedVolumesAndSuspendSurviveARestartOfTheDriver() {
        SimHypervisor sim = host("host-1", dir);
        sim.spawn(spec("i-a"));
        GuestSpec.Disk vol = new GuestSpec.Disk("v-data", 5, false, null,
                new DiskConnection("/var/lib/virga/volumes/v-data.qcow2", DiskFormat.QCOW2, null, null, DiskBus.VIRTIO));
        sim.attach("i-a", vol);
        sim.resized("i-a", "v-data", 8);
        sim.suspend("i-a");

        SimHypervisor again = host("host-1", dir);
        assertEquals(PowerState.SUSPENDED, again.status("i-a").orElseThrow().state());
        List<GuestSpec.Disk> disks = again.disksOf("i-a");
        assertEquals(List.of("v-boot", "v-data"), disks.stream().map(GuestSpec.Disk::volumeId).toList());
        assertEquals(8, disks.get(1).sizeGb());
        assertEquals(vol.connection(), disks.get(1).connection(), "the connection is kept as given");
        again.detach("i-a", "v-data");
        assertEquals(List.of("v-boot"), host("host-1", dir).disksOf("i-a").stream().map(GuestSpec.Disk::volumeId).toList());
    }

    @Test
    void theSerialLogShowsEveryPowerTransition() throws Exception {
        SimHypervisor sim = host("host-1", dir);
        sim.spawn(spec("i-a"));
        sim.pause("i-a");
        sim.resume("i-a");
        sim.shutdown("i-a", java.time.Duration.ofSeconds(1));
        ConsoleEndpoint serial = sim.consoles("i-a").get(0);
        assertEquals(ConsoleEndpoint.Type.SERIAL, serial.type());
        String log = Files.readString(Path.of(serial.path()));
        assertTrue(log.contains("guest i-a booted (vm, para); ready"), log);
        assertTrue(log.contains("pause: RUNNING -> PAUSED"), log);
        assertTrue(log.contains("ACPI power button pressed"), log);
        assertTrue(log.contains("stop: RUNNING -> SHUTDOWN"), log);
        sim.destroy("i-a");
        assertTrue(Files.notExists(Path.of(serial.path())), "the log goes with the guest");
    }

    @Test
    void aSnapshotIsADeterministicDescriptionOfTheGuest() {
        SimHypervisor sim = host("host-1", null);
        sim.spawn(spec("i-a"));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertEquals(DiskFormat.RAW, sim.snapshot("i-a", first));
        sim.snapshot("i-a", second);
        assertArrayEquals(first.toByteArray(), second.toByteArray());
        String text = first.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith(SimDiskImage.MAGIC + "\n"), text);
        assertTrue(text.contains("image img-1\n") && text.contains("size_gb 10\n"), text);
    }

    @Test
    void aColdMigrationRefusesAnotherGuestsDisk() {
        SimHypervisor source = host("host-1", null);
        SimHypervisor dest = host("host-2", null);
        source.spawn(spec("i-a"));
        source.spawn(spec("i-b"));
        source.stop("i-b");
        ByteArrayOutputStream diskOfB = new ByteArrayOutputStream();
        source.exportDisk("i-b", diskOfB);
        dest.prepareIncoming(spec("i-a"), false);
        HypervisorException e = assertThrows(HypervisorException.class,
                () -> dest.importDisk("i-a", DiskFormat.RAW, new ByteArrayInputStream(diskOfB.toByteArray())));
        assertTrue(e.getMessage().contains("another guest's"), e.getMessage());
    }

    @Test
    void aLiveMigrationRefusedByTheDestinationLeavesTheGuestRunningOnTheSource() {
        SimHypervisor source = host("host-1", dir.resolve("a"));
        SimHypervisor dest = host("host-2", dir.resolve("b"));
        source.spawn(spec("i-a"));
        source.spawn(spec("i-other"));
        MigrationEndpoint forA = dest.prepareIncoming(spec("i-a"), true);
        assertThrows(HypervisorException.class, () -> source.migrateTo("i-other", forA), "the endpoint waits for i-a");
        assertEquals(PowerState.RUNNING, source.status("i-other").orElseThrow().state());
        source.migrateTo("i-a", forA);
        assertEquals(PowerState.RUNNING, dest.finishIncoming("i-a").state());
        assertEquals(PowerState.RUNNING, host("host-2", dir.resolve("b")).status("i-a").orElseThrow().state(),
                "the destination stored the guest it now runs");
        assertTrue(source.status("i-a").isEmpty());
    }
}
