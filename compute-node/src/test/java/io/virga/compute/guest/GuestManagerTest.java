package io.virga.compute.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.hypervisor.sim.SimOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest manager against a real sim driver, events recorded: the bounded work queue, per-guest
 * serialization without a manager-wide lock, and reconciliation after a restart of the node.
 */
class GuestManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    record Sent(String id, PowerState state, String message) {
    }

    @TempDir
    Path stateDir;

    final List<Sent> sent = new ArrayList<>();
    final ReportedPowerStates reported = new ReportedPowerStates((id, state, message) -> {
        synchronized (sent) {
            sent.add(new Sent(id, state, message));
            sent.notifyAll();
        }
    });
    final List<GuestManager> managers = new ArrayList<>();

    @AfterEach
    void stop() {
        managers.forEach(m -> m.shutdown(Duration.ofSeconds(5)));
    }

    SimHypervisor sim() {
        return new SimHypervisor(SimOptions.builder().capacity(new HostCapacity(4, 4096, 40)).stateDir(stateDir).build());
    }

    GuestManager manager(io.virga.hypervisor.Hypervisor driver, int workers, int capacity) {
        GuestManager m = new GuestManager(driver, reported, new SimpleMeterRegistry(), "host-1", workers, capacity);
        managers.add(m);
        return m;
    }

    static GuestSpec spec(String id) {
        return GuestSpec.builder(id).vcpus(1).ramMb(128).build();
    }

    Sent awaitState(String id, PowerState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (sent) {
            while (true) {
                for (Sent s : sent) {
                    if (s.id().equals(id) && s.state() == state) {
                        return s;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + state + " for " + id + " within " + WAIT + "; sent " + sent);
                }
                sent.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    List<Sent> sentFor(String id) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.id().equals(id)).toList();
        }
    }

    @Test
    void aFullWorkQueueRefusesSpawnsAtOnceSayingSoAndAcceptsAgainWhenItDrains() throws Exception {
        GatedHypervisor driver = new GatedHypervisor(sim());
        GuestManager m = manager(driver, 1, 1);
        GatedHypervisor.Gate gate = driver.holdNextSpawn();
        m.spawn(spec("i-a"));
        gate.awaitReached();
        m.spawn(spec("i-b"));
        WorkQueueFullException full = assertThrows(WorkQueueFullException.class, () -> m.spawn(spec("i-c")));
        assertEquals("compute node host-1 has 1 guest builds waiting (its work queue is full); retry later or "
                + "choose another host", full.getMessage());
        assertTrue(m.get("i-c").isEmpty(), "a refused spawn leaves nothing");
        gate.release();
        awaitState("i-a", PowerState.RUNNING);
        awaitState("i-b", PowerState.RUNNING);
        assertEquals(GuestManager.Accepted.STARTED, m.spawn(spec("i-c")));
        awaitState("i-c", PowerState.RUNNING);
    }

    @Test
    void aSlowDriverCallOnOneGuestHoldsUpNoOtherGuest() throws Exception {
        SimHypervisor sim = sim();
        GuestManager m = manager(sim, 2, 8);
        m.spawn(spec("i-slow"));
        m.spawn(spec("i-fast"));
        awaitState("i-slow", PowerState.RUNNING);
        awaitState("i-fast", PowerState.RUNNING);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> m.withGuest("i-slow", () -> {
            inside.countDown();
            try {
                return release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertTrue(inside.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        // while i-slow's work runs: other guests are served, i-slow is busy for the power sync
        assertTrue(m.destroy("i-fast"), "another guest's destroy does not wait");
        assertFalse(m.whenIdle("i-slow", () -> true), "the busy guest is skipped, not waited for");
        assertTrue(m.get("i-slow").isPresent(), "look-ups never wait");
        assertEquals(List.of("i-slow"), m.list().stream().map(GuestView::instanceId).toList());
        release.countDown();
        slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(m.whenIdle("i-slow", () -> true));
    }

    @Test
    void aRestartedNodeAdoptsItsGuestsReportsTheDeadOnesAndNeverSpawnsTwice() throws Exception {
        SimHypervisor before = sim();
        before.spawn(spec("i-up"));
        before.spawn(spec("i-dead"));
        before.spawn(spec("i-off"));
        before.crash("i-dead");
        before.stop("i-off");
        GuestStatus upBefore = before.status("i-up").orElseThrow();

        SimHypervisor after = sim();  // the node process was killed and started again
        GuestManager m = manager(after, 2, 8);
        assertEquals(3, m.reportAll());
        assertEquals(List.of(new Sent("i-up", PowerState.RUNNING, "")), sentFor("i-up"));
        Sent dead = sentFor("i-dead").get(0);
        assertEquals(PowerState.CRASHED, dead.state());
        assertTrue(dead.message().contains("died while the node was not watching"), dead.message());
        assertEquals(PowerState.SHUTDOWN, sentFor("i-off").get(0).state());

        assertEquals(GuestManager.Accepted.ALREADY_EXISTS, m.spawn(spec("i-up")), "an adopted guest is not spawned again");
        assertEquals(GuestManager.Accepted.ALREADY_EXISTS, m.spawn(spec("i-dead")));
        assertEquals(upBefore, after.status("i-up").orElseThrow(), "not rebooted");
        assertEquals(1, sentFor("i-up").size(), "no second event");
        assertEquals(3, after.list().size());
    }
}
