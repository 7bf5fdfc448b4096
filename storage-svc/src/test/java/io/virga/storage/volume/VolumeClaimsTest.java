package io.virga.storage.volume;

import static io.virga.storage.testing.StorageAssertions.assertStatus;
import static io.virga.storage.testing.StorageClient.newProject;
import static io.virga.storage.testing.StorageClient.volumeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.AuditFinding;
import io.virga.contracts.storage.v1.AuditRequest;
import io.virga.contracts.storage.v1.BackendCapacity;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetCapacityRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attach / detach claims, capacity admission, the reconciler after a crash and the auditor. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class VolumeClaimsTest {
    @GrpcClient("self")
    Channel channel;

    @Inject
    Tx tx;

    @Inject
    VolumeRepository repo;

    @Inject
    VolumeReconciler reconciler;

    @Inject
    io.virga.storage.StorageConfig config;

    StorageClient client;
    String project;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        project = newProject();
    }

    private Volume available(io.virga.contracts.storage.v1.CreateVolumeRequest.Builder request) {
        return client.awaitVolume(project, client.createVolume(request).getId(), "AVAILABLE");
    }

    private AttachmentRequest on(Volume v, String instance) {
        return AttachmentRequest.newBuilder().setProjectId(project).setId(v.getId()).setInstanceId(instance).build();
    }

    private EndOperationRequest end(Volume v, String instance, boolean ok) {
        return EndOperationRequest.newBuilder().setProjectId(project).setId(v.getId()).setInstanceId(instance)
                .setSucceeded(ok).setError(ok ? "" : "the host said no").build();
    }

    @Test
    void attachAndDetachAreClaimsThatEndInAStateTheUserCanActOn() {
        Volume v = available(volumeRequest(project, 1));
        String a = Ids.newId("i");
        String b = Ids.newId("i");

        Volume attaching = client.blocking().beginAttach(on(v, a));
        assertEquals("ATTACHING", attaching.getStatus());
        assertEquals(a, attaching.getPendingInstanceId());
        assertTrue(attaching.getPath().endsWith("/disk.qcow2"), attaching.getPath());
        assertEquals(attaching, client.blocking().beginAttach(on(v, a)), "a retried step gets the same claim");
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().beginAttach(on(v, b)));

        // The host refused: back to AVAILABLE, the reason kept.
        Volume failed = client.blocking().endAttach(end(v, a, false));
        assertEquals("AVAILABLE", failed.getStatus());
        assertTrue(failed.getError().contains("the host said no"), failed.getError());

        client.blocking().beginAttach(on(v, a));
        Volume inUse = client.blocking().endAttach(end(v, a, true));
        assertEquals("IN_USE", inUse.getStatus());
        assertEquals(List.of(a), inUse.getAttachmentsList());
        assertEquals("", inUse.getError());
        assertEquals(inUse, client.blocking().endAttach(end(v, a, true)), "idempotent");

        assertStatus(Status.Code.ALREADY_EXISTS, () -> client.blocking().beginAttach(on(v, a)));
        assertTrue(assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().beginAttach(on(v, b)))
                .contains("not multiattach"));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().beginDetach(on(v, b)));
        assertTrue(assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().deleteVolume(
                DeleteVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).build())).contains("IN_USE"));

        assertEquals("DETACHING", client.blocking().beginDetach(on(v, a)).getStatus());
        assertEquals("IN_USE", client.blocking().endDetach(end(v, a, false)).getStatus());
        client.blocking().beginDetach(on(v, a));
        Volume free = client.blocking().endDetach(end(v, a, true));
        assertEquals("AVAILABLE", free.getStatus());
        assertEquals(List.of(), free.getAttachmentsList());
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().beginDetach(on(v, a)));
    }

    @Test
    void aMultiattachVolumeServesSeveralInstancesAndAnInstanceDeleteDetachesIt() {
        Volume v = available(volumeRequest(project, 1).setMultiattach(true));
        String a = Ids.newId("i");
        String b = Ids.newId("i");
        client.blocking().beginAttach(on(v, a));
        client.blocking().endAttach(end(v, a, true));
        assertEquals("ATTACHING", client.blocking().beginAttach(on(v, b)).getStatus());
        assertEquals(List.of(a, b), client.blocking().endAttach(end(v, b, true)).getAttachmentsList());

        assertEquals(0, client.blocking().deleteVolumesByOwner(DeleteVolumesByOwnerRequest.newBuilder()
                .setProjectId(project).setOwnerId(a).build()).getDeleted());
        Volume left = client.awaitVolume(project, v.getId(), "IN_USE");
        assertEquals(List.of(b), left.getAttachmentsList());
        client.blocking().deleteVolumesByOwner(DeleteVolumesByOwnerRequest.newBuilder().setProjectId(project)
                .setOwnerId(b).build());
        assertEquals(List.of(), client.awaitVolume(project, v.getId(), "AVAILABLE").getAttachmentsList());
    }

    @Test
    void extendingAnAttachedVolumeWaitsForTheHostThenSettles() {
        Volume v = available(volumeRequest(project, 1));
        String a = Ids.newId("i");
        client.blocking().beginAttach(on(v, a));
        client.blocking().endAttach(end(v, a, true));
        Volume extending = client.blocking().extendVolume(ExtendVolumeRequest.newBuilder().setProjectId(project)
                .setId(v.getId()).setSizeGb(2).build());
        assertEquals("EXTENDING", extending.getStatus());
        assertEquals(1, extending.getSizeGb());
        Volume failed = client.blocking().endExtend(end(v, "", false));
        assertEquals("IN_USE", failed.getStatus());
        assertEquals(1, failed.getSizeGb());

        client.blocking().extendVolume(ExtendVolumeRequest.newBuilder().setProjectId(project).setId(v.getId())
                .setSizeGb(2).build());
        Volume grown = client.blocking().endExtend(end(v, "", true));
        assertEquals("IN_USE", grown.getStatus());
        assertEquals(2, grown.getSizeGb());
    }

    @Test
    void thinProvisioningRefusesWhatWouldExceedTheRatioBeforeWritingAnything() {
        // Test profile: backend sim has 100 GiB, over-subscription ratio 1.
        Volume big = available(volumeRequest(project, 60).setVolumeType("sim"));
        assertEquals("sim", big.getBackend());
        String desc = assertStatus(Status.Code.FAILED_PRECONDITION,
                () -> client.createVolume(volumeRequest(project, 50).setVolumeType("sim")));
        assertTrue(desc.startsWith("capacity: backend sim has "), desc);
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().extendVolume(ExtendVolumeRequest
                .newBuilder().setProjectId(project).setId(big.getId()).setSizeGb(101).build()));
        BackendCapacity sim = client.blocking().getCapacity(GetCapacityRequest.getDefaultInstance()).getBackendsList()
                .stream().filter(b -> b.getBackend().equals("sim")).findFirst().orElseThrow();
        assertEquals(100L << 30, sim.getPhysicalBytes());
        assertTrue(sim.getProvisionedBytes() >= 60L << 30);
        client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project).setId(big.getId()).build());
        available(volumeRequest(project, 50).setVolumeType("sim"));
    }

    @Test
    void afterACrashMidBuildTheReconcilerFinishesTheVolume() throws Exception {
        // What a crash leaves: a committed CREATING row and half a copy in the build directory.
        String id = Ids.newId("v");
        tx.run(c -> {
            repo.insert(c, new io.virga.storage.volume.Volume(id, project, "crashed", 1, null, VolumeStatus.CREATING, null, false,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), "standard", "file", false, null, null, null, null,
                    null, null, List.of()));
            return null;
        });
        Path data = config.dataDir().resolve("volumes");
        Files.createDirectories(data.resolve(".tmp-" + id));
        Files.writeString(data.resolve(".tmp-" + id).resolve("disk.qcow2"), "half");

        CompletableFuture.allOf(reconciler.reconcile().toArray(CompletableFuture[]::new)).join();
        Volume v = client.awaitVolume(project, id, "AVAILABLE");
        assertTrue(Files.isRegularFile(Path.of(v.getPath())));
        assertFalse(Files.exists(data.resolve(".tmp-" + id)));
    }

    @Test
    void theAuditorFindsOrphansBothWaysAndCleansThemWhenAsked() throws Exception {
        Volume lost = available(volumeRequest(project, 1));
        Path data = Path.of(lost.getPath()).getParent().getParent();
        Files.delete(Path.of(lost.getPath()));
        Files.delete(Path.of(lost.getPath()).getParent());
        Path orphan = Files.createDirectories(data.resolve("v-orphan0000a"));

        List<AuditFinding> found = client.blocking().audit(AuditRequest.newBuilder().build()).getFindingsList();
        assertTrue(found.stream().anyMatch(f -> f.getKind().equals("ORPHAN_DATA") && f.getVolumeId().equals("v-orphan0000a")), found.toString());
        assertTrue(found.stream().anyMatch(f -> f.getKind().equals("MISSING_DATA") && f.getVolumeId().equals(lost.getId())), found.toString());
        assertTrue(Files.exists(orphan), "a plain audit changes nothing");

        client.blocking().audit(AuditRequest.newBuilder().setClean(true).build());
        assertFalse(Files.exists(orphan));
        Volume marked = client.awaitVolume(project, lost.getId(), "ERROR");
        assertTrue(marked.getError().contains("missing"), marked.getError());
        assertEquals(1, client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project)
                .setId(lost.getId()).build()).getDeleted());
    }
}
