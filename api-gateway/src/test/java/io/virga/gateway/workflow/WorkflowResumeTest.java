package io.virga.gateway.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.TestCloudAccess;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.flow.CreateFlow;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import io.virga.gateway.operation.Operation;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety: a saga left mid-way by a process that died (its lease
 * expired, its last step half done) is taken over and finished without
 * doing anything twice; a live lease is respected until it expires.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class WorkflowResumeTest {
    @Inject
    Tx tx;
    @Inject
    OperationRepository operations;
    @Inject
    MidwayCreates midway;

    Fakes fakes;
    String projectId;
    String network;
    String image;

    @BeforeEach
    void setUp() {
        fakes = Fakes.get();
        fakes.reset();
        TestCloudAccess.awaitConsumer(tx.dataSource());
        projectId = TestCloudAccess.newProject();
        network = fakes.network.addNetwork(projectId, false, true);
        image = fakes.storage.addImage(projectId, "ACTIVE", "qcow2", 1, false);
    }

    /**
     * What a gateway that crashed during the boot-volume step leaves behind:
     * the boot volume made by storage-svc but not recorded, the saga leased
     * to the dead process until {@code leaseUntil}.
     */
    private String crashedMidway(Instant leaseUntil, String owner) {
        return midway.create(projectId, network, image, true, owner, leaseUntil).instanceId();
    }

    @Test
    void aSagaWhoseOwnerDiedIsTakenOverAndFinishedWithoutDuplicates() {
        String id = crashedMidway(Instant.now().minusSeconds(1), "gw-dead:1");
        Instance active = midway.awaitStatus(id, InstanceStatus.ACTIVE);
        assertEquals(1, fakes.network.portsOf(id).size(), "the port was not made twice");
        assertEquals(1, fakes.storage.volumesOf(id).size(), "the volume was not made twice");
        assertEquals(fakes.storage.volumesOf(id).get(0).getId(), active.volumes().get(0).volumeId());
        assertEquals(1, fakes.guestsOf(id));
        Operation op = tx.run(c -> operations.latestFor(c, id, OperationKind.INSTANCE_CREATE)).orElseThrow();
        assertEquals(OperationStatus.SUCCEEDED, op.status());
        assertEquals(List.of("ports", "boot_volume", "claim", "spawn", "wait_spawn"),
                op.steps().stream().map(s -> s.name()).toList());
    }

    @Test
    void aLiveLeaseIsRespectedUntilItExpires() {
        Instant expiry = Instant.now().plusSeconds(2);
        String id = crashedMidway(expiry, "gw-alive-elsewhere:" + UUID.randomUUID());
        MidwayCreates.sleep(1000);
        Workflow waiting = midwaySaga(id);
        assertEquals(CreateFlow.BOOT_VOLUME, waiting.step(), "nobody touched a leased saga");
        assertTrue(waiting.leaseOwner().startsWith("gw-alive-elsewhere:"));
        midway.awaitStatus(id, InstanceStatus.ACTIVE);
        assertTrue(Instant.now().isAfter(expiry));
    }

    /** A create saved by the spine's build (data version 1: no version, no excluded hosts) runs after an upgrade. */
    @Test
    void aCreateWrittenAtDataVersionOneStillRuns() {
        String id = crashedMidway(Instant.now().minusSeconds(1), "gw-old-build:1");
        String old = tx.run(c -> {
            try (var ps = c.prepareStatement("UPDATE workflows SET data = data - 'version' - 'excludedHosts'"
                    + " WHERE resource_id = ? RETURNING data::text")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertTrue(!old.contains("version") && !old.contains("excludedHosts"), old);
        midway.awaitStatus(id, InstanceStatus.ACTIVE);
        assertEquals(1, fakes.storage.volumesOf(id).size());
        assertTrue(midwaySaga(id).data().contains("\"version\": 2"), midwaySaga(id).data());
    }

    private Workflow midwaySaga(String instanceId) {
        return midway.saga(new MidwayCreates.Midway(instanceId, null));
    }
}
