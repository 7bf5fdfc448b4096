package io.virga.compute.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.hypervisor.sim.SimOptions;
import io.virga.platform.ids.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The power sync against a real sim driver and the real guest manager, with the events
 * recorded instead of sent: what it reports, what it never repeats, and that it leaves
 * guests being built or destroyed to those operations.
 */
class PowerSyncTest {
    record Sent(String id, PowerState state, String message) {
    }

    final List<Sent> sent = new ArrayList<>();
    final SimHypervisor sim = new SimHypervisor(SimOptions.builder()
            .capacity(new HostCapacity(4, 4096, 40)).bootLatency(Duration.ZERO).build());
    final GatedHypervisor driver = new GatedHypervisor(sim);
    final ReportedPowerStates reported = new ReportedPowerStates((id, state, message) -> {
        synchronized (sent) {
            sent.add(new Sent(id, state, message));
        }
    });
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final GuestManager guests = new GuestManager(driver, reported, registry);
    final PowerSync sync = new PowerSync(driver, guests, reported, Duration.ofHours(1), registry);

    @AfterEach
    void stop() {
        sync.stop();
        guests.shutdown(Duration.ofSeconds(5));
    }

    List<PowerState> statesOf(String id) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.id().equals(id)).map(Sent::state).toList();
        }
    }

    Sent lastOf(String id) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.id().equals(id)).reduce((a, b) -> b).orElseThrow();
        }
    }

    static GuestSpec spec(String id) {
        return GuestSpec.builder(id).name("web").vcpus(1).ramMb(64).build();
    }

    String running() throws InterruptedException {
        String id = Ids.newId("i");
        guests.spawn(spec(id));
        awaitState(id, PowerState.RUNNING);
        return id;
    }

    void awaitState(String id, PowerState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!statesOf(id).contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + state + " for " + id + "; sent " + statesOf(id));
            }
            Thread.sleep(5);
        }
    }

    double changesCounted() {
        return registry.get("virga.compute.power.sync.changes").counter().count();
    }

    @Test
    void aCrashIsReportedOnceThenNotAgain() throws Exception {
        String id = running();
        sim.crash(id);
        assertEquals(1, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED), statesOf(id));
        assertEquals("observed by the power sync (last reported RUNNING)", lastOf(id).message());
        assertEquals(0, sync.syncOnce());
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED), statesOf(id));
        assertEquals(1.0, changesCounted());
    }

    @Test
    void aGuestStartedAgainInTheDriverIsReportedRunningAgain() throws Exception {
        String id = running();
        sim.crash(id);
        sync.syncOnce();
        sim.start(id);
        assertEquals(1, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED, PowerState.RUNNING), statesOf(id));
    }

    @Test
    void aGuestRemovedBehindTheNodesBackIsReportedDeletedOnce() throws Exception {
        String id = running();
        sim.destroy(id);
        assertEquals(1, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.DELETED), statesOf(id));
        assertEquals("no longer known to the sim driver (last reported RUNNING)", lastOf(id).message());
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.DELETED), statesOf(id));
    }

    @Test
    void unchangedGuestsAreNotReportedAgain() throws Exception {
        List<String> ids = List.of(running(), running(), running());
        int before = sent.size();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, sync.syncOnce());
        }
        assertEquals(before, sent.size());
        assertEquals(0.0, changesCounted());
        ids.forEach(id -> assertEquals(List.of(PowerState.RUNNING), statesOf(id)));
    }

    @Test
    void theStartUpReReportSeedsWhatWasReported() {
        String a = Ids.newId("i");
        String b = Ids.newId("i");
        sim.spawn(spec(a));
        sim.spawn(spec(b));
        sim.stop(b);
        assertEquals(2, guests.reportAll());
        assertEquals(List.of(PowerState.RUNNING), statesOf(a));
        assertEquals(List.of(PowerState.SHUTDOWN), statesOf(b));
        assertEquals(0, sync.syncOnce(), "the re-report is what was last reported");
    }

    @Test
    void aGuestTheDriverHasButTheNodeNeverReportedIsReported() {
        String id = Ids.newId("i");
        sim.spawn(spec(id));
        assertEquals(1, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING), statesOf(id));
        assertEquals("observed by the power sync (not reported before)", lastOf(id).message());
    }

    @Test
    void aFailedSpawnIsNotReportedDeletedLater() throws Exception {
        sim.failNextSpawns(1);
        String id = Ids.newId("i");
        guests.spawn(spec(id));
        awaitState(id, PowerState.FAILED);
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.FAILED), statesOf(id));
    }

    @Test
    void aGuestBeingBuiltIsLeftToItsBuild() throws Exception {
        String id = Ids.newId("i");
        GatedHypervisor.Gate gate = driver.holdNextSpawn();
        guests.spawn(spec(id));
        gate.awaitReached();
        assertEquals("RUNNING", sim.status(id).orElseThrow().state().name(), "the driver shows it, the node has not said");
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(), statesOf(id));
        gate.release();
        awaitState(id, PowerState.RUNNING);
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING), statesOf(id), "one RUNNING, from the build");
    }

    @Test
    void aChangeTheDriverNoticesIsReportedAtOnceNotAtTheNextSync() throws Exception {
        sync.start(); // every hour: only the driver's notice can report within the test
        String id = running();
        sim.crash(id);
        awaitState(id, PowerState.CRASHED);
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED), statesOf(id));
        assertEquals("observed by the power sync (last reported RUNNING)", lastOf(id).message());
        assertEquals(0, sync.syncOnce(), "nothing left for the periodic sync");
    }

    @Test
    void aChangeNoticedDuringTheBuildIsReportedAfterTheBuildsOwnReport() throws Exception {
        sync.start();
        String id = Ids.newId("i");
        GatedHypervisor.Gate gate = driver.holdNextSpawn();
        guests.spawn(spec(id));
        gate.awaitReached();
        sim.crash(id); // an app container that ended at once: the build still holds the guest
        gate.release();
        awaitState(id, PowerState.CRASHED);
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED), statesOf(id), "the build's RUNNING, then the crash");
    }

    @Test
    void aGuestBeingDestroyedIsLeftToItsDestroy() throws Exception {
        String id = running();
        GatedHypervisor.Gate gate = driver.holdNextDestroy();
        CompletableFuture<Boolean> destroy = CompletableFuture.supplyAsync(() -> guests.destroy(id));
        gate.awaitReached();
        assertTrue(sim.status(id).isEmpty(), "gone from the driver, DELETED not reported yet");
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING), statesOf(id));
        gate.release();
        assertTrue(destroy.get());
        assertEquals(0, sync.syncOnce());
        assertEquals(List.of(PowerState.RUNNING, PowerState.DELETED), statesOf(id), "one DELETED, from the destroy");
    }
}
