package io.virga.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.VirtMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sim host restarted on the same state directory re-adopts its guests, as a node re-finds its qemu processes. */
class SimPersistenceTest {
    @TempDir
    Path dir;

    private SimHypervisor host() {
        return new SimHypervisor(SimOptions.builder().capacity(new HostCapacity(4, 4096, 100)).stateDir(dir)
                .failSpawnMatching("^doomed").build());
    }

    private static GuestSpec fullSpec(String id) {
        return GuestSpec.builder(id).name("web").vcpus(2).ramMb(2048).diskGb(20)
                .kind(GuestKind.VM).virtMode(VirtMode.FULL)
                .addInterface(new GuestSpec.NetworkInterface("p-1", "52:54:00:00:00:01", "10.0.0.5", 42))
                .addDisk(new GuestSpec.Disk("v-1", 20, true, "img-1"))
                .userData("#cloud-config\n").build();
    }

    @Test
    void aRestartedHostReadoptsItsGuestsInTheirStates() {
        SimHypervisor before = host();
        GuestStatus running = before.spawn(fullSpec("i-a"));
        before.spawn(GuestSpec.builder("i-b").build());
        GuestStatus stopped = before.stop("i-b");

        SimHypervisor after = host();
        assertEquals(Optional.of(running), after.status("i-a"));
        assertEquals(Optional.of(stopped), after.status("i-b"));
        assertEquals(running, after.spawn(fullSpec("i-a")), "a re-adopted guest is the same guest: spawn is a no-op");
        assertThrows(CapacityExceededException.class, () -> after.spawn(GuestSpec.builder("i-c").ramMb(3000).build()),
                "re-adopted guests hold their resources");
    }

    @Test
    void destroyedAndFailedGuestsLeaveNoFiles() throws IOException {
        SimHypervisor sim = host();
        sim.spawn(GuestSpec.builder("i-a").build());
        assertThrows(HypervisorException.class, () -> sim.spawn(GuestSpec.builder("i-b").name("doomed").build()));
        assertEquals(List.of("i-a.json"), files());
        assertTrue(sim.destroy("i-a"));
        assertEquals(List.of(), files());
        assertFalse(host().status("i-a").isPresent());
    }

    @Test
    void anUnreadableStateFileStopsTheHostFromStartingAndNamesTheFile() throws IOException {
        host().spawn(GuestSpec.builder("i-a").build());
        Files.writeString(dir.resolve("guests/i-a.json"), "{ not json");
        HypervisorException e = assertThrows(HypervisorException.class, this::host);
        assertTrue(e.getMessage().contains("i-a.json"), e.getMessage());
    }

    @Test
    void aStateFileThatFailsValidationIsRejected() throws IOException {
        host().spawn(GuestSpec.builder("i-a").build());
        Path file = dir.resolve("guests/i-a.json");
        Files.writeString(file, Files.readString(file).replace("\"vcpus\" : 1", "\"vcpus\" : 0"));
        HypervisorException e = assertThrows(HypervisorException.class, this::host);
        assertTrue(e.getMessage().contains("vcpus"), e.getMessage());
    }

    @Test
    void stateChangesAreStored() {
        SimHypervisor sim = host();
        sim.spawn(GuestSpec.builder("i-a").build());
        sim.pause("i-a");
        assertEquals(PowerState.PAUSED, host().status("i-a").orElseThrow().state());
        sim.resume("i-a");
        sim.crash("i-a");
        assertEquals(PowerState.CRASHED, host().status("i-a").orElseThrow().state());
    }

    @Test
    void guestsAreReadoptedEvenWhenTheCapacityWasLowered() {
        host().spawn(GuestSpec.builder("i-a").ramMb(3000).build());
        SimHypervisor smaller = new SimHypervisor(SimOptions.builder().capacity(new HostCapacity(4, 1024, 100))
                .stateDir(dir).build());
        assertEquals(PowerState.RUNNING, smaller.status("i-a").orElseThrow().state(), "a running guest is never dropped");
        CapacityExceededException e = assertThrows(CapacityExceededException.class,
                () -> smaller.spawn(GuestSpec.builder("i-b").ramMb(1).build()));
        assertEquals("host-1 has 0 MB RAM free, guest needs 1 MB", e.getMessage());
        assertTrue(smaller.destroy("i-a"));
        assertEquals(PowerState.RUNNING, smaller.spawn(GuestSpec.builder("i-b").ramMb(1).build()).state());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("guests"))) {
            return s.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
