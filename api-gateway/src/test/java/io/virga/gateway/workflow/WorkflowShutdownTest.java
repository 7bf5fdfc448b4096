package io.virga.gateway.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.TestCloudAccess;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.flow.CreateFlow;
import io.virga.gateway.instance.flow.DeleteFlow;
import io.virga.gateway.operation.Operation;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.workflow.MidwayCreates.Midway;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the saga runner (2 s lease, 1 s shutdown grace): it
 * waits for steps in flight up to the grace, then hands back, in one fenced
 * UPDATE, exactly the leases of this process, so another runner (or this one
 * restarted) resumes those sagas at once; a step still running after the
 * grace saves nothing, and each saga finishes once.
 */
@QuarkusTest
@TestProfile(WorkflowLeaseTestProfile.class)
class WorkflowShutdownTest {
    private static final Duration LEASE = WorkflowLeaseTestProfile.LEASE;
    private static final Duration GRACE = WorkflowLeaseTestProfile.SHUTDOWN_GRACE;
    private static final List<String> CREATE_STEPS = List.of("ports", "boot_volume", "claim", "spawn", "wait_spawn");

    @Inject
    Tx tx;
    @Inject
    WorkflowRunner runner;
    @Inject
    WorkflowConfig config;
    @Inject
    WorkflowRepository sagas;
    @Inject
    InstanceRepository instances;
    @Inject
    InstanceStateWriter writer;
    @Inject
    OperationRepository operations;
    @Inject
    WorkflowMetrics metrics;
    @Inject
    WorkflowSignals signals;
    @Inject
    StepExecutor executor;
    @Inject
    CreateFlow createFlow;
    @Inject
    DeleteFlow deleteFlow;
    @Inject
    MidwayCreates midway;
    @Inject
    MeterRegistry registry;

    Fakes fakes;
    String projectId;
    String network;
    String image;

    @BeforeEach
    void setUp() {
        fakes = Fakes.get();
        fakes.reset();
        DelayingServiceClients.clear();
        TestCloudAccess.awaitConsumer(tx.dataSource());
        projectId = TestCloudAccess.newProject();
        network = fakes.network.addNetwork(projectId, false, true);
        image = fakes.storage.addImage(projectId, "ACTIVE", "qcow2", 1, false);
    }

    @AfterEach
    void tearDown() {
        runner.start(); // whatever a test did, the app's runner runs again (no-op if it does)
        DelayingServiceClients.clear();
    }

    @Test
    void shutdownHandsBackOnlyOurLeasesAndAnotherRunnerFinishesTheSagasOnce() {
        double lostBefore = leasesLost();
        String id = Ids.newId("i");
        // the step in flight outlives the grace and ignores the interrupt: it completes after the hand-back
        var createVolume = DelayingServiceClients.watch("CreateVolume", id, GRACE.multipliedBy(3), true);
        Midway inFlight = midway.create(id, projectId, network, image, false, null, null);
        await("the runner is inside boot_volume", createVolume::stalled);
        assertTrue(midway.saga(inFlight).leaseOwner().startsWith(runner.ownerPrefix()));

        Instant far = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        // a claim of ours the runner has not registered yet: the hand-back covers every token of this process
        Midway unregistered = midway.create(projectId, network, image, true, runner.ownerPrefix() + "999999", far);
        String foreignOwner = "gw-other:" + UUID.randomUUID();
        Midway foreign = midway.create(projectId, network, image, true, foreignOwner, far);
        // another process whose token merely starts like our prefix without its ':'
        String lookalikeOwner = runner.ownerPrefix().replace(":", "0:1");
        Midway lookalike = midway.create(projectId, network, image, true, lookalikeOwner, far);

        WorkflowRunner other = newRunner();
        try {
            long took = timeShutdown();
            assertTrue(took >= GRACE.toMillis() - 50, "waited for the step in flight: " + took + " ms");
            assertTrue(took < GRACE.toMillis() + 1500, "shutdown is bounded by the grace: " + took + " ms");
            for (Midway m : List.of(inFlight, unregistered)) {
                Workflow s = midway.saga(m);
                assertNull(s.leaseOwner(), "handed back: " + s);
                assertNull(s.leaseUntil());
                assertEquals(CreateFlow.BOOT_VOLUME, s.step(), "the step in flight was not saved");
                assertTrue(s.nextRunAt().isBefore(Instant.now()), "due at once");
            }
            assertEquals(foreignOwner, midway.saga(foreign).leaseOwner(), "another process's lease is untouched");
            assertEquals(far, midway.saga(foreign).leaseUntil());
            assertEquals(lookalikeOwner, midway.saga(lookalike).leaseOwner());
            assertEquals(far, midway.saga(lookalike).leaseUntil());

            long started = System.nanoTime();
            other.start();
            await("another runner takes the handed-back saga over", () -> heldBy(inFlight, other));
            long tookOver = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookOver < LEASE.toMillis() / 2, "taken over at once, not after a lease: " + tookOver + " ms");

            Instance active = midway.awaitStatus(inFlight.instanceId(), InstanceStatus.ACTIVE);
            midway.awaitStatus(unregistered.instanceId(), InstanceStatus.ACTIVE);
            await("the old step's late call went out", () -> createVolume.calls() == 2);
            MidwayCreates.sleep(500); // where the straggler would save
            assertEquals(1, fakes.storage.volumesOf(id).size(), "one volume (the call is idempotent)");
            assertEquals(1, active.volumes().size());
            assertEquals(1, fakes.network.portsOf(id).size(), "one port");
            assertEquals(1, fakes.guestsOf(id));
            assertEquals(CREATE_STEPS, stepNames(inFlight), "boot_volume recorded once: the straggler saved nothing");
            assertEquals(CREATE_STEPS, stepNames(unregistered));
            assertEquals(1, fakes.storage.volumesOf(unregistered.instanceId()).size());
            assertEquals(WorkflowState.SUCCEEDED, midway.saga(inFlight).state());
            assertEquals(lostBefore, leasesLost(), "a hand-back is not a lost lease");

            long idle = timeShutdown(other);
            assertTrue(idle < GRACE.toMillis(), "an idle runner stops at once: " + idle + " ms");
        } finally {
            other.shutdown();
            runner.start();
            expireLease(foreign, foreignOwner);
            expireLease(lookalike, lookalikeOwner);
        }
        midway.awaitStatus(foreign.instanceId(), InstanceStatus.ACTIVE);
        midway.awaitStatus(lookalike.instanceId(), InstanceStatus.ACTIVE);
    }

    @Test
    void theSameRunnerRestartedResumesAHandedBackSagaAtOnce() {
        double lostBefore = leasesLost();
        String id = Ids.newId("i");
        var createVolume = DelayingServiceClients.watch("CreateVolume", id, GRACE.multipliedBy(5));
        Midway m = midway.create(id, projectId, network, image, false, null, null);
        await("the runner is inside boot_volume", createVolume::stalled);

        long took = timeShutdown();
        assertTrue(took < GRACE.toMillis() + 1500, "shutdown is bounded by the grace: " + took + " ms");
        Workflow s = midway.saga(m);
        assertNull(s.leaseOwner());
        assertEquals(CreateFlow.BOOT_VOLUME, s.step());
        MidwayCreates.sleep(200);
        assertEquals(0, createVolume.calls(), "the interrupted call was cancelled before it went out");
        assertEquals(CreateFlow.BOOT_VOLUME, midway.saga(m).step(), "the cut-off step saved nothing");

        long started = System.nanoTime();
        runner.start();
        await("the restarted runner takes the saga", () -> heldBy(m, runner));
        long tookOver = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookOver < LEASE.toMillis() / 2, "taken over at once, not after a lease: " + tookOver + " ms");

        Instance active = midway.awaitStatus(id, InstanceStatus.ACTIVE);
        assertEquals(1, createVolume.calls());
        assertEquals(1, fakes.storage.volumesOf(id).size());
        assertEquals(1, active.volumes().size());
        assertEquals(1, fakes.network.portsOf(id).size());
        assertEquals(CREATE_STEPS, stepNames(m));
        assertEquals(lostBefore, leasesLost(), "a hand-back is not a lost lease");
    }

    /** The guarantee under the shutdown path: once handed back, a token's fenced writes change nothing. */
    @Test
    void aHandedBackTokenCanNoLongerWriteItsSaga() throws Exception {
        String prefix = "gw-fence-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        String token = prefix + "7";
        Instant far = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        Midway m = midway.create(projectId, network, image, true, token, far);
        Instant parked = far.plus(Duration.ofHours(1));
        setNextRunAt(m, parked); // no runner claims it while we look

        assertEquals(List.of(m.operationId()), sagas.releaseLeasesOf(prefix));
        assertEquals(List.of(), sagas.releaseLeasesOf(prefix), "idempotent");
        Workflow released = midway.saga(m);
        assertNull(released.leaseOwner());
        assertNull(released.leaseUntil());
        assertEquals(parked, released.nextRunAt(), "the schedule is kept");

        WorkflowRepository.Update done = new WorkflowRepository.Update(CreateFlow.CLAIM, WorkflowState.FAILED, 0,
                null, released.data(), Instant.now());
        boolean saved = tx.run(c -> sagas.save(c, m.operationId(), token, done));
        assertFalse(saved, "the outcome is fenced");
        boolean releasedAgain = tx.run(c -> sagas.release(c, m.operationId(), token, 9, null, Instant.now()));
        assertFalse(releasedAgain, "a release too");
        assertEquals(Set.of(), sagas.renewLeases(Map.of(token, m.operationId()), LEASE), "and a renewal");
        Workflow after = midway.saga(m);
        assertEquals(CreateFlow.BOOT_VOLUME, after.step());
        assertEquals(WorkflowState.RUNNING, after.state());
        assertEquals(released.attempts(), after.attempts());
        assertEquals(released.data(), after.data());
        assertNull(after.leaseOwner());
        assertEquals(parked, after.nextRunAt());

        setNextRunAt(m, Instant.now());
        midway.awaitStatus(m.instanceId(), InstanceStatus.ACTIVE);
        assertEquals(CREATE_STEPS, stepNames(m));
        assertEquals(1, fakes.storage.volumesOf(m.instanceId()).size());
    }

    @Test
    void aHandBackNeedsAWholeProcessPrefix() {
        assertThrows(IllegalArgumentException.class, () -> sagas.releaseLeasesOf(""));
        assertThrows(IllegalArgumentException.class, () -> sagas.releaseLeasesOf("gw-"));
    }

    private WorkflowRunner newRunner() {
        return new WorkflowRunner(config, sagas, signals, metrics, executor);
    }

    private long timeShutdown() {
        return timeShutdown(runner);
    }

    private static long timeShutdown(WorkflowRunner r) {
        long t0 = System.nanoTime();
        r.shutdown();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The saga is leased by {@code r}, or has already moved past boot_volume (r ran it). */
    private boolean heldBy(Midway m, WorkflowRunner r) {
        Workflow s = midway.saga(m);
        return !s.step().equals(CreateFlow.BOOT_VOLUME)
                || (s.leaseOwner() != null && s.leaseOwner().startsWith(r.ownerPrefix()));
    }

    private void expireLease(Midway m, String owner) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET lease_until = now() - interval '1 second'"
                    + " WHERE operation_id = ? AND lease_owner = ?")) {
                ps.setString(1, m.operationId());
                ps.setString(2, owner);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void setNextRunAt(Midway m, Instant at) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET next_run_at = ? WHERE operation_id = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, m.operationId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private List<String> stepNames(Midway m) {
        Operation op = tx.run(c -> operations.latestFor(c, m.instanceId(), OperationKind.INSTANCE_CREATE))
                .orElseThrow();
        assertEquals(OperationStatus.SUCCEEDED, op.status());
        return op.steps().stream().map(st -> st.name()).toList();
    }

    private double leasesLost() {
        double sum = 0;
        for (String detected : List.of("renewal", "write")) {
            Counter c = registry.find("virga.workflow.leases.lost").tag("detected", detected).counter();
            sum += c == null ? 0 : c.count();
        }
        return sum;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            MidwayCreates.sleep(10);
        }
    }
}
