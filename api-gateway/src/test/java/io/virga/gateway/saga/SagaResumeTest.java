package io.virga.gateway.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.flavor.FlavorRepository;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import io.virga.gateway.operation.Operation;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.quota.Usage;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
class SagaResumeTest {
    @Inject
    Tx tx;
    @Inject
    InstanceRepository instances;
    @Inject
    OperationRepository operations;
    @Inject
    SagaRepository sagas;
    @Inject
    QuotaService quota;
    @Inject
    FlavorRepository flavors;
    @Inject
    ServiceClients clients;

    Fakes fakes;
    String projectId;
    String network;
    String image;

    @BeforeEach
    void setUp() {
        fakes = Fakes.get();
        fakes.reset();
        io.virga.gateway.instance.TestCloudAccess.awaitConsumer(tx.dataSource());
        projectId = io.virga.gateway.instance.TestCloudAccess.newProject();
        network = fakes.network.addNetwork(projectId, false, true);
        image = fakes.storage.addImage(projectId, "ACTIVE", "qcow2", 1, false);
    }

    /**
     * What a gateway that crashed during the boot-volume step leaves behind:
     * quota reserved, instance BUILDING, port made and recorded, boot volume
     * made by storage-svc but not recorded, saga at boot_volume leased to the
     * dead process until {@code leaseUntil}.
     */
    private String crashedMidway(Instant leaseUntil, String owner) {
        FlavorSnapshot flavor = FlavorSnapshot.of(flavors.findByIdOrName(
                io.virga.gateway.instance.TestCloudAccess.flavor("m1.small", 1, 512, 2)).orElseThrow());
        String id = Ids.newId("i");
        String opId = Ids.newId("op");
        Port port = clients.network(Duration.ofSeconds(5)).createPort(CreatePortRequest.newBuilder()
                .setProjectId(projectId).setNetworkId(network).setDeviceId(id).setRequestId(id + ":port:0").build());
        Volume volume = clients.storage(Duration.ofSeconds(5)).createVolume(CreateVolumeRequest.newBuilder()
                .setProjectId(projectId).setName("x-boot").setSizeGb(2).setImageId(image).setOwnerId(id)
                .setDeleteOnTermination(true).setRequestId(id + ":boot").build());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instance instance = new Instance(id, projectId, "resumed", flavor, image, List.of(network), null,
                InstanceStatus.BUILDING, InstanceTask.BLOCK_DEVICE_MAPPING, null, null, null, null, true, 1, now, now,
                null, List.of(), List.of());
        SagaData data = new SagaData();
        data.bootSizeGb = 2;
        data.vnis = Map.of(network, 100);
        data.ports.add(new SagaData.PortRef(0, port.getId(), network, port.getIpAddress(), port.getMacAddress()));
        tx.run(c -> {
            quota.reserve(c, projectId, new Usage(1, 1, 512));
            instances.insert(c, instance);
            instances.addPort(c, id, new InstancePort(port.getId(), 0, network, port.getIpAddress(),
                    port.getMacAddress()));
            operations.insert(c, opId, projectId, OperationKind.INSTANCE_CREATE, id, now);
            operations.finishStep(c, opId, CreateFlow.PORTS, OperationStatus.SUCCEEDED, "made before the crash");
            operations.beginStep(c, opId, CreateFlow.BOOT_VOLUME);
            sagas.insert(c, opId, id, SagaKind.CREATE, CreateFlow.BOOT_VOLUME, data);
            try (PreparedStatement ps = c.prepareStatement("UPDATE sagas SET lease_owner = ?, lease_until = ?"
                    + " WHERE operation_id = ?")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, java.sql.Timestamp.from(leaseUntil));
                ps.setString(3, opId);
                ps.executeUpdate();
            }
            return null;
        });
        assertEquals(volume.getId(), fakes.storage.volumesOf(id).get(0).getId());
        return id;
    }

    @Test
    void aSagaWhoseOwnerDiedIsTakenOverAndFinishedWithoutDuplicates() {
        String id = crashedMidway(Instant.now().minusSeconds(1), "gw-dead:1");
        Instance active = awaitStatus(id, InstanceStatus.ACTIVE);
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
        sleep(1000);
        SagaRecord waiting = tx.run(c -> sagas.find(c, id, SagaKind.CREATE)).orElseThrow();
        assertEquals(CreateFlow.BOOT_VOLUME, waiting.step(), "nobody touched a leased saga");
        assertTrue(waiting.leaseOwner().startsWith("gw-alive-elsewhere:"));
        awaitStatus(id, InstanceStatus.ACTIVE);
        assertTrue(Instant.now().isAfter(expiry));
    }

    private Instance awaitStatus(String id, InstanceStatus status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Instance last = null;
        while (System.nanoTime() < deadline) {
            last = tx.run(c -> instances.find(c, id)).orElseThrow();
            if (last.status() == status) {
                return last;
            }
            sleep(50);
        }
        throw new AssertionError("instance " + id + " did not become " + status + "; last " + last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
