package io.virga.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sim-specific behaviour: readable capacity errors, boot latency, failure injection, crashes. */
class SimHypervisorTest {

    private static SimOptions.Builder options() {
        return SimOptions.builder().hostName("host-1").capacity(new HostCapacity(4, 4096, 100));
    }

    private static GuestSpec guest(String id, long ramMb) {
        return GuestSpec.builder(id).ramMb(ramMb).build();
    }

    @Test
    void spawnBeyondFreeRamSaysWhatIsFreeAndWhatIsNeeded() {
        SimHypervisor sim = new SimHypervisor(options().build());
        sim.spawn(guest("i-a", 2048));
        CapacityExceededException e = assertThrows(CapacityExceededException.class, () -> sim.spawn(guest("i-b", 4096)));
        assertEquals("host-1 has 2048 MB RAM free, guest needs 4096 MB", e.getMessage());
    }

    @Test
    void everyShortResourceIsNamed() {
        SimHypervisor sim = new SimHypervisor(options().build());
        CapacityExceededException e = assertThrows(CapacityExceededException.class,
                () -> sim.spawn(GuestSpec.builder("i-a").vcpus(5).ramMb(8192).diskGb(101).build()));
        assertEquals("host-1 has 4096 MB RAM free, guest needs 8192 MB; host-1 has 4 vCPUs, guest needs 5; "
                + "host-1 has 100 GB disk free, guest needs 101 GB", e.getMessage());
    }

    @Test
    void spawnTakesTheBootLatencyAndShowsBuildingMeanwhile() throws Exception {
        SimHypervisor sim = new SimHypervisor(options().bootLatency(Duration.ofMillis(300)).build());
        long start = System.nanoTime();
        CompletableFuture<GuestStatus> spawn = CompletableFuture.supplyAsync(() -> sim.spawn(guest("i-a", 3000)));
        GuestStatus building = awaitStatus(sim, "i-a");
        assertEquals(PowerState.BUILDING, building.state());
        assertEquals(null, building.startedAt());
        assertThrows(CapacityExceededException.class, () -> sim.spawn(guest("i-b", 3000)),
                "a guest being built already holds its resources");
        assertEquals(PowerState.RUNNING, spawn.get(5, TimeUnit.SECONDS).state());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void spawnsWhoseNameMatchesTheFailurePatternFailAndLeaveNothing() {
        SimHypervisor sim = new SimHypervisor(options().failSpawnMatching("^doomed-").build());
        GuestSpec doomed = GuestSpec.builder("i-a").name("doomed-web").build();
        HypervisorException e = assertThrows(HypervisorException.class, () -> sim.spawn(doomed));
        assertEquals("simulated boot failure of guest 'doomed-web' on host-1 (name matches /^doomed-/)", e.getMessage());
        assertEquals(Optional.empty(), sim.status("i-a"));
        assertThrows(HypervisorException.class, () -> sim.spawn(doomed), "a retry fails the same way");
        assertEquals(PowerState.RUNNING, sim.spawn(GuestSpec.builder("i-b").name("web-doomed").build()).state());
    }

    @Test
    void theNextNSpawnsFailThenSpawnsSucceed() {
        SimHypervisor sim = new SimHypervisor(options().failNextSpawns(1).build());
        sim.failNextSpawns(2);
        assertThrows(CapacityExceededException.class, () -> sim.spawn(guest("i-big", 9999)),
                "a capacity failure does not use up an injected failure");
        assertThrows(HypervisorException.class, () -> sim.spawn(guest("i-a", 64)));
        assertThrows(HypervisorException.class, () -> sim.spawn(guest("i-a", 64)));
        assertEquals(PowerState.RUNNING, sim.spawn(guest("i-a", 64)).state());
        assertTrue(sim.list().size() == 1);
    }

    @Test
    void aConcurrentSpawnOfTheSameGuestSharesTheBuildsFailure() throws Exception {
        SimHypervisor sim = new SimHypervisor(options().bootLatency(Duration.ofMillis(200)).failNextSpawns(1).build());
        CompletableFuture<GuestStatus> first = CompletableFuture.supplyAsync(() -> sim.spawn(guest("i-a", 64)));
        awaitStatus(sim, "i-a");
        HypervisorException e = assertThrows(HypervisorException.class, () -> sim.spawn(guest("i-a", 64)));
        assertTrue(e.getMessage().startsWith("simulated boot failure"), e.getMessage());
        assertThrows(Exception.class, () -> first.get(5, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), sim.status("i-a"));
    }

    @Test
    void destroyDuringTheBuildFailsTheSpawnAndFreesTheResources() throws Exception {
        SimHypervisor sim = new SimHypervisor(options().bootLatency(Duration.ofMillis(300)).build());
        CompletableFuture<GuestStatus> spawn = CompletableFuture.supplyAsync(() -> sim.spawn(guest("i-a", 4096)));
        awaitStatus(sim, "i-a");
        assertTrue(sim.destroy("i-a"));
        Exception e = assertThrows(Exception.class, () -> spawn.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("destroyed while it was building"), e.getCause().getMessage());
        assertEquals(Optional.empty(), sim.status("i-a"));
        assertEquals(PowerState.RUNNING, sim.spawn(guest("i-b", 4096)).state());
    }

    @Test
    void aCrashedGuestCanBeStartedOrStoppedButNotPaused() {
        SimHypervisor sim = new SimHypervisor(options().build());
        sim.spawn(guest("i-a", 64));
        assertEquals(PowerState.CRASHED, sim.crash("i-a").state());
        assertThrows(GuestConflictException.class, () -> sim.pause("i-a"));
        assertThrows(GuestConflictException.class, () -> sim.crash("i-a"));
        assertEquals(PowerState.RUNNING, sim.start("i-a").state());
        sim.crash("i-a");
        assertEquals(PowerState.SHUTDOWN, sim.stop("i-a").state());
    }

    @Test
    void aBuildingGuestCannotBePowerControlled() throws Exception {
        SimHypervisor sim = new SimHypervisor(options().bootLatency(Duration.ofMillis(300)).build());
        CompletableFuture<GuestStatus> spawn = CompletableFuture.supplyAsync(() -> sim.spawn(guest("i-a", 64)));
        awaitStatus(sim, "i-a");
        GuestConflictException e = assertThrows(GuestConflictException.class, () -> sim.stop("i-a"));
        assertEquals("guest i-a is BUILDING; cannot stop it", e.getMessage());
        assertEquals(PowerState.RUNNING, spawn.get(5, TimeUnit.SECONDS).state());
    }

    @Test
    void traitsNameTheSimEveryKindEveryModeAndItsCapabilities() {
        SimHypervisor sim = new SimHypervisor(options().build());
        assertTrue(sim.traits().containsAll(java.util.List.of("COMPUTE_SIM", "COMPUTE_POWER_CONTROL", "COMPUTE_PAUSE",
                "COMPUTE_GUEST_VM", "COMPUTE_GUEST_CONTAINER", "COMPUTE_GUEST_DESKTOP",
                "VIRT_MODE_FULL", "VIRT_MODE_PARA", "VIRT_MODE_HYBRID")), sim.traits().toString());
    }

    static GuestStatus awaitStatus(SimHypervisor sim, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<GuestStatus> s = sim.status(id);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("guest " + id + " never appeared");
    }
}
