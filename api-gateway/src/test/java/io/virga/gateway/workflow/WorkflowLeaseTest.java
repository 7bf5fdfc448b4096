package io.virga.gateway.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.TestCloudAccess;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.flow.CreateFlow;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Saga leases with a 2 s lease renewed every ~0.67 s: a step may outlast
 * the lease while its runner lives; a holder that stops renewing loses the
 * saga within a lease; renewal is fenced by the lease token, and a runner
 * whose lease was taken over mid-step writes nothing.
 */
@QuarkusTest
@TestProfile(WorkflowLeaseTestProfile.class)
class WorkflowLeaseTest {
    private static final Duration LEASE = WorkflowLeaseTestProfile.LEASE;
    private static final List<String> CREATE_STEPS = List.of("ports", "boot_volume", "claim", "spawn", "wait_spawn");

    @Inject
    Tx tx;
    @Inject
    OperationRepository operations;
    @Inject
    WorkflowRepository sagas;
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
        DelayingServiceClients.clear();
    }

    @Test
    void aStepLongerThanTheLeaseKeepsItsLeaseAndRunsOnce() {
        double lostBefore = leasesLost("renewal") + leasesLost("write");
        String id = Ids.newId("i");
        var createVolume = DelayingServiceClients.watch("CreateVolume", id, LEASE.multipliedBy(5).dividedBy(2));
        Midway m = midway.create(id, projectId, network, image, false, null, null);

        // watch the row while boot_volume runs: who holds it, until when
        Set<String> holders = new HashSet<>();
        List<Instant> expiries = new ArrayList<>();
        long firstHeld = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Workflow s = midway.saga(m);
        while (s.step().equals(CreateFlow.BOOT_VOLUME) && System.nanoTime() < deadline) {
            if (s.leaseOwner() != null) {
                firstHeld = firstHeld == 0 ? System.nanoTime() : firstHeld;
                holders.add(s.leaseOwner());
                expiries.add(s.leaseUntil());
            }
            MidwayCreates.sleep(20);
            s = midway.saga(m);
        }
        long heldMs = (System.nanoTime() - firstHeld) / 1_000_000;
        assertNotEquals(CreateFlow.BOOT_VOLUME, s.step(), "the slow step finished");
        assertTrue(heldMs > LEASE.toMillis(), "the step outlasted the lease: held " + heldMs + " ms");
        assertEquals(1, holders.size(), "one runner held the saga throughout: " + holders);
        Duration extended = Duration.between(expiries.get(0), expiries.get(expiries.size() - 1));
        assertTrue(extended.compareTo(LEASE) > 0, "the lease was renewed while the step ran: " + extended);

        Instance active = midway.awaitStatus(m.instanceId(), InstanceStatus.ACTIVE);
        assertEquals(1, createVolume.calls(), "the step was not run a second time");
        assertEquals(1, fakes.storage.volumesOf(m.instanceId()).size());
        assertEquals(1, active.volumes().size());
        assertEquals(CREATE_STEPS, stepNames(m));
        assertEquals(lostBefore, leasesLost("renewal") + leasesLost("write"), "no lease was lost");
    }

    /** A lease row whose token nobody renews: its holder died just after a renewal, or long ago. */
    @ParameterizedTest(name = "holder died, lease expiring in {0} ms")
    @CsvSource({"2000", "-1000"})
    void aDeadHoldersSagaIsTakenOverWithinALease(long expiresInMs) {
        Instant start = Instant.now();
        Instant expiry = start.plusMillis(expiresInMs).truncatedTo(ChronoUnit.MICROS);
        String dead = "gw-dead:" + UUID.randomUUID();
        Midway m = midway.create(projectId, network, image, true, dead, expiry);

        Workflow s = midway.saga(m);
        while (dead.equals(s.leaseOwner()) && s.step().equals(CreateFlow.BOOT_VOLUME)) {
            assertEquals(expiry, s.leaseUntil(), "nobody renews a dead holder's lease");
            assertTrue(Instant.now().isBefore(expiry.plus(LEASE).plusSeconds(5)), "not taken over in time");
            MidwayCreates.sleep(20);
            s = midway.saga(m);
        }
        Instant takenOver = Instant.now();
        assertFalse(takenOver.isBefore(expiry), "a live lease was respected");
        Instant bound = (expiry.isAfter(start) ? expiry : start).plus(LEASE);
        assertTrue(takenOver.isBefore(bound), "taken over " + Duration.between(expiry, takenOver).toMillis()
                + " ms after the lease expired; bound is one lease (" + LEASE.toMillis() + " ms)");

        midway.awaitStatus(m.instanceId(), InstanceStatus.ACTIVE);
        assertEquals(1, fakes.network.portsOf(m.instanceId()).size());
        assertEquals(1, fakes.storage.volumesOf(m.instanceId()).size());
        assertEquals(CREATE_STEPS, stepNames(m));
    }

    @Test
    void renewalExtendsOnlyLeasesStillCarryingItsToken() throws Exception {
        Instant farAway = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        String mine = "gw-test:" + UUID.randomUUID();
        String other = "gw-other:" + UUID.randomUUID();
        Midway ours = midway.create(projectId, network, image, true, mine, farAway);
        Midway theirs = midway.create(projectId, network, image, true, other, farAway);
        try {
            Instant before = Instant.now();
            Set<String> renewed = sagas.renewLeases(Map.of(
                    mine, ours.operationId(),
                    "gw-test:stale-" + UUID.randomUUID(), theirs.operationId(), // our old token for their saga
                    other + "-not", ours.operationId()), LEASE);
            Instant after = Instant.now();
            assertEquals(Set.of(mine), renewed);
            assertEquals(farAway, midway.saga(theirs).leaseUntil(), "a foreign lease is never renewed");
            assertEquals(other, midway.saga(theirs).leaseOwner());
            Instant ourExpiry = midway.saga(ours).leaseUntil();
            assertFalse(ourExpiry.isBefore(before.plus(LEASE).minusMillis(1)), ourExpiry + " vs " + before);
            assertFalse(ourExpiry.isAfter(after.plus(LEASE).plusMillis(1)), ourExpiry + " vs " + after);
            assertEquals(Set.of(), sagas.renewLeases(Map.of(mine, theirs.operationId()), LEASE),
                    "a token renews only the saga it was issued for");
            assertEquals(farAway, midway.saga(theirs).leaseUntil());
        } finally {
            expireLease(theirs, other);
        }
        midway.awaitStatus(ours.instanceId(), InstanceStatus.ACTIVE);
        midway.awaitStatus(theirs.instanceId(), InstanceStatus.ACTIVE);
    }

    @Test
    void aLeaseTakenOverMidStepIsNeitherRenewedNorSaved() throws Exception {
        double lostByRenewal = leasesLost("renewal");
        double lostByWrite = leasesLost("write");
        String id = Ids.newId("i");
        var createVolume = DelayingServiceClients.watch("CreateVolume", id, LEASE.multipliedBy(2));
        Midway m = midway.create(id, projectId, network, image, false, null, null);
        await("a runner is inside the step", createVolume::stalled);
        String runner = midway.saga(m).leaseOwner();

        // another process takes the saga over while the step is stalled
        String thief = "gw-thief:" + UUID.randomUUID();
        Instant thiefExpiry = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        int taken = tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET lease_owner = ?, lease_until = ?"
                    + " WHERE operation_id = ? AND lease_owner = ?")) {
                ps.setString(1, thief);
                ps.setTimestamp(2, Timestamp.from(thiefExpiry));
                ps.setString(3, m.operationId());
                ps.setString(4, runner);
                return ps.executeUpdate();
            }
        });
        assertEquals(1, taken);
        await("the runner's renewal notices the loss", () -> leasesLost("renewal") > lostByRenewal);
        await("the stalled step makes its call", () -> createVolume.calls() == 1);
        MidwayCreates.sleep(500); // where the runner would save

        Workflow s = midway.saga(m);
        assertEquals(CreateFlow.BOOT_VOLUME, s.step(), "the loser saved nothing");
        assertEquals(thief, s.leaseOwner());
        assertEquals(thiefExpiry, s.leaseUntil(), "the thief's lease was not renewed by the loser");
        assertTrue(tx.run(c -> operations.latestFor(c, m.instanceId(), OperationKind.INSTANCE_CREATE)).orElseThrow()
                .steps().stream().noneMatch(st -> st.name().equals(CreateFlow.BOOT_VOLUME)
                        && st.status() == OperationStatus.SUCCEEDED), "the step is not recorded done");

        // the thief dies: a runner takes over and re-runs the (idempotent) step
        expireLease(m, thief);
        Instance active = midway.awaitStatus(m.instanceId(), InstanceStatus.ACTIVE);
        assertEquals(2, createVolume.calls(), "the new owner ran the step again");
        assertEquals(1, fakes.storage.volumesOf(m.instanceId()).size(), "idempotent: still one volume");
        assertEquals(1, active.volumes().size());
        assertEquals(CREATE_STEPS, stepNames(m));
        assertEquals(lostByWrite, leasesLost("write"), "the loser stopped before writing (no fenced write failed)");
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

    private List<String> stepNames(Midway m) {
        Operation op = tx.run(c -> operations.latestFor(c, m.instanceId(), OperationKind.INSTANCE_CREATE))
                .orElseThrow();
        assertEquals(OperationStatus.SUCCEEDED, op.status());
        return op.steps().stream().map(st -> st.name()).toList();
    }

    private double leasesLost(String detected) {
        Counter c = registry.find("virga.workflow.leases.lost").tag("detected", detected).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            MidwayCreates.sleep(20);
        }
    }
}
