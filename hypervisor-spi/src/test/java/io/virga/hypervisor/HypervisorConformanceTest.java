package io.virga.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link Hypervisor} driver must pass. A driver's
 * test extends it and implements {@link #createHypervisor()}.
 *
 * <p>The suite fills the host: give the driver a small capacity (say 4 vCPUs,
 * 1024 MB, 10 GB) so that "the host is full" is cheap to reach. Guests are
 * specified by {@link #guest(String)}; a driver that needs more (an image, a
 * kernel) overrides it. Optional capabilities are tested when the driver
 * implements them, and skipped otherwise ({@link CapabilityConformance}); the
 * hooks are in {@link ConformanceSupport}.
 */
public abstract class HypervisorConformanceTest extends CapabilityConformance {

    @Test
    void typeCapacityAndTraitsDescribeTheDriver() {
        assertTrue(hypervisor.type().matches("[a-z][a-z0-9]*"), "type: " + hypervisor.type());
        assertNotNull(hypervisor.capacity());
        Set<String> traits = hypervisor.traits();
        assertTrue(traits.contains(Traits.computeType(hypervisor.type())), "traits " + traits);
        assertTrue(traits.containsAll(Traits.capabilities(hypervisor)), "capability traits missing from " + traits);
        assertTrue(traits.stream().anyMatch(t -> t.startsWith("VIRT_MODE_")), "no virt mode trait in " + traits);
        assertTrue(traits.stream().allMatch(t -> t.matches("[A-Z][A-Z0-9_]*")), "traits must be upper case: " + traits);
        assertEquals(traits, hypervisor.traits(), "traits must be constant");
    }

    @Test
    void spawnRunsTheGuestAndShowsItInStatusAndList() {
        String id = newId();
        Instant before = Instant.now().minusSeconds(1);
        GuestStatus s = hypervisor.spawn(guest(id).vcpus(1).build());
        assertEquals(id, s.instanceId());
        assertEquals(PowerState.RUNNING, s.state());
        assertEquals(1, s.vcpus());
        assertEquals(guest(id).build().ramMb(), s.ramMb());
        assertNotNull(s.startedAt());
        assertFalse(s.startedAt().isBefore(before), "startedAt " + s.startedAt());
        assertFalse(s.startedAt().isAfter(Instant.now().plusSeconds(1)), "startedAt " + s.startedAt());
        assertEquals(Optional.of(s), hypervisor.status(id));
        assertEquals(List.of(s), hypervisor.list());
    }

    @Test
    void listShowsEveryGuest() {
        Set<String> ids = Set.of(newId(), newId(), newId());
        ids.forEach(id -> hypervisor.spawn(guest(id).build()));
        assertEquals(ids, hypervisor.list().stream().map(GuestStatus::instanceId).collect(Collectors.toSet()));
        assertTrue(hypervisor.list().stream().allMatch(g -> g.state() == PowerState.RUNNING));
    }

    @Test
    void spawnOfARunningGuestIsIdempotent() {
        String id = newId();
        GuestStatus first = hypervisor.spawn(guest(id).build());
        GuestStatus again = hypervisor.spawn(guest(id).build());
        assertEquals(first, again, "a second spawn must return the same guest, not boot it again");
        assertEquals(1, hypervisor.list().size());
    }

    @Test
    void spawnOfAnExistingIdWithOtherResourcesIsAConflict() {
        String id = newId();
        GuestStatus first = hypervisor.spawn(guest(id).vcpus(1).build());
        assertThrows(GuestConflictException.class, () -> hypervisor.spawn(guest(id).vcpus(2).build()));
        assertEquals(Optional.of(first), hypervisor.status(id));
    }

    @Test
    void concurrentSpawnsOfOneInstanceMakeOneGuest() throws Exception {
        String id = newId();
        List<GuestStatus> results = runConcurrently(4, i -> hypervisor.spawn(guest(id).build()));
        assertEquals(4, results.size());
        assertTrue(results.stream().allMatch(r -> r.state() == PowerState.RUNNING), "results " + results);
        assertEquals(1, results.stream().map(GuestStatus::startedAt).distinct().count(), "booted twice: " + results);
        assertEquals(1, hypervisor.list().size());
    }

    @Test
    void spawnBeyondFreeRamFailsReadablyAndLeavesNothing() {
        String id = newId();
        long ram = hypervisor.capacity().ramMb() + 1;
        CapacityExceededException e = assertThrows(CapacityExceededException.class,
                () -> hypervisor.spawn(guest(id).ramMb(ram).build()));
        assertTrue(e.getMessage().contains(String.valueOf(ram)), "message should say what the guest needs: "
                + e.getMessage());
        assertEquals(Optional.empty(), hypervisor.status(id));
        assertTrue(hypervisor.list().isEmpty());
    }

    @Test
    void aGuestWithMoreVcpusThanTheHostFailsAndLeavesNothing() {
        String id = newId();
        assertThrows(CapacityExceededException.class,
                () -> hypervisor.spawn(guest(id).vcpus(hypervisor.capacity().vcpus() + 1).build()));
        assertEquals(Optional.empty(), hypervisor.status(id));
    }

    @Test
    void vcpusAreTimeSharedSoTheirTotalMayExceedTheHosts() {
        int guests = hypervisor.capacity().vcpus() + 1;
        for (int i = 0; i < guests; i++) {
            hypervisor.spawn(guest(newId()).vcpus(1).build());
        }
        assertEquals(guests, hypervisor.list().size());
    }

    @Test
    void spawnBeyondFreeDiskFailsAndLeavesNothing() {
        String id = newId();
        assertThrows(CapacityExceededException.class,
                () -> hypervisor.spawn(guest(id).diskGb(hypervisor.capacity().diskGb() + 1).build()));
        assertEquals(Optional.empty(), hypervisor.status(id));
    }

    @Test
    void destroyReleasesCapacityAndAFailedSpawnCanBeRetried() {
        long big = hypervisor.capacity().ramMb() * 3 / 4;
        assumeTrue(big >= 1, "capacity too small for this test");
        String a = newId();
        String b = newId();
        hypervisor.spawn(guest(a).ramMb(big).build());
        assertThrows(CapacityExceededException.class, () -> hypervisor.spawn(guest(b).ramMb(big).build()));
        assertTrue(hypervisor.destroy(a));
        assertEquals(PowerState.RUNNING, hypervisor.spawn(guest(b).ramMb(big).build()).state());
    }

    @Test
    void concurrentSpawnsNeverOvercommitTheHostsRam() throws Exception {
        long ramMb = hypervisor.capacity().ramMb();
        assumeTrue(ramMb >= 64, "capacity too small for this test");
        int fit = 4;
        int attempts = fit + 2;
        AtomicInteger rejected = new AtomicInteger();
        List<GuestStatus> ok = runConcurrently(attempts, i -> {
            try {
                return hypervisor.spawn(guest(newId()).ramMb(ramMb / fit).build());
            } catch (CapacityExceededException e) {
                rejected.incrementAndGet();
                return null;
            }
        });
        long spawned = ok.stream().filter(s -> s != null).count();
        assertEquals(fit, spawned, "exactly " + fit + " guests of a quarter of the RAM fit");
        assertEquals(attempts - fit, rejected.get());
        assertEquals(fit, hypervisor.list().size());
    }

    @Test
    void destroyRemovesTheGuestAndIsIdempotent() {
        String id = newId();
        hypervisor.spawn(guest(id).build());
        assertTrue(hypervisor.destroy(id));
        assertEquals(Optional.empty(), hypervisor.status(id));
        assertTrue(hypervisor.list().isEmpty());
        assertFalse(hypervisor.destroy(id), "a second destroy finds nothing");
    }

    @Test
    void unknownGuestsAreNotAnError() {
        assertFalse(hypervisor.destroy("never-spawned"));
        assertEquals(Optional.empty(), hypervisor.status("never-spawned"));
    }

    @Test
    void stopAndStartArePowerTransitionsAndIdempotent() {
        PowerControl power = capability(PowerControl.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        assertEquals(PowerState.SHUTDOWN, power.stop(id).state());
        assertEquals(PowerState.SHUTDOWN, hypervisor.status(id).orElseThrow().state());
        assertEquals(PowerState.SHUTDOWN, power.stop(id).state(), "stop of a stopped guest is a no-op");
        GuestStatus started = power.start(id);
        assertEquals(PowerState.RUNNING, started.state());
        assertEquals(started, power.start(id), "start of a running guest is a no-op");
    }

    @Test
    void rebootBootsARunningGuestAgainAndRefusesAStoppedOne() {
        PowerControl power = capability(PowerControl.class);
        String id = newId();
        GuestStatus spawned = hypervisor.spawn(guest(id).build());
        GuestStatus rebooted = power.reboot(id);
        assertEquals(PowerState.RUNNING, rebooted.state());
        assertFalse(rebooted.startedAt().isBefore(spawned.startedAt()));
        power.stop(id);
        assertThrows(GuestConflictException.class, () -> power.reboot(id));
        assertEquals(PowerState.SHUTDOWN, hypervisor.status(id).orElseThrow().state(), "a refused reboot changes nothing");
    }

    @Test
    void aStoppedGuestKeepsItsResources() {
        PowerControl power = capability(PowerControl.class);
        long big = hypervisor.capacity().ramMb() * 3 / 4;
        assumeTrue(big >= 1, "capacity too small for this test");
        String a = newId();
        hypervisor.spawn(guest(a).ramMb(big).build());
        power.stop(a);
        assertThrows(CapacityExceededException.class, () -> hypervisor.spawn(guest(newId()).ramMb(big).build()));
        assertEquals(PowerState.RUNNING, power.start(a).state());
    }

    @Test
    void powerControlOfAnUnknownGuestIsNotFound() {
        PowerControl power = capability(PowerControl.class);
        assertThrows(GuestNotFoundException.class, () -> power.stop("never-spawned"));
        assertThrows(GuestNotFoundException.class, () -> power.start("never-spawned"));
        assertThrows(GuestNotFoundException.class, () -> power.reboot("never-spawned"));
    }

    @Test
    void pauseAndResumeKeepTheGuestInMemory() {
        Pausable pausable = capability(Pausable.class);
        String id = newId();
        GuestStatus spawned = hypervisor.spawn(guest(id).build());
        assertEquals(PowerState.PAUSED, pausable.pause(id).state());
        assertEquals(PowerState.PAUSED, pausable.pause(id).state(), "pause of a paused guest is a no-op");
        if (hypervisor instanceof PowerControl power) {
            assertThrows(GuestConflictException.class, () -> power.start(id), "a paused guest is resumed, not started");
        }
        GuestStatus resumed = pausable.resume(id);
        assertEquals(PowerState.RUNNING, resumed.state());
        assertEquals(spawned.startedAt(), resumed.startedAt(), "resume does not boot");
        assertEquals(resumed, pausable.resume(id), "resume of a running guest is a no-op");
        assertThrows(GuestNotFoundException.class, () -> pausable.pause("never-spawned"));
    }

    @Test
    void aStoppedGuestCannotBePaused() {
        Pausable pausable = capability(Pausable.class);
        PowerControl power = capability(PowerControl.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        power.stop(id);
        assertThrows(GuestConflictException.class, () -> pausable.pause(id));
        assertEquals(PowerState.SHUTDOWN, hypervisor.status(id).orElseThrow().state());
    }
}
