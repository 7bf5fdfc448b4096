package io.virga.storage.quota;

import static io.virga.storage.testing.StorageAssertions.assertStatus;
import static io.virga.storage.testing.StorageClient.newProject;
import static io.virga.storage.testing.StorageClient.volumeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.CreateSnapshotRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.SetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.contracts.storage.v1.VolumeQuotas;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Block storage quotas per project (volumes, gigabytes, snapshots): limits, usage, refusals and a race. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class VolumeQuotaTest {
    @GrpcClient("self")
    Channel channel;

    StorageClient client;
    String project;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        project = newProject();
    }

    private VolumeQuotas quotas() {
        return client.blocking().getVolumeQuotas(GetVolumeQuotasRequest.newBuilder().setProjectId(project).build());
    }

    private VolumeQuotas set(SetVolumeQuotasRequest.Builder b) {
        return client.blocking().setVolumeQuotas(b.setProjectId(project).build());
    }

    private int volumeCount() {
        return client.blocking().listVolumes(ListVolumesRequest.newBuilder().setProjectId(project).build())
                .getVolumesCount();
    }

    private Volume available(int sizeGb) {
        return client.awaitVolume(project, client.createVolume(volumeRequest(project, sizeGb)).getId(), "AVAILABLE");
    }

    @Test
    void aNewProjectHasTheDefaultLimitsAndUsageFollowsItsVolumesAndSnapshots() {
        VolumeQuotas q = quotas();
        assertEquals(10, q.getLimitVolumes());
        assertEquals(1000, q.getLimitGigabytes());
        assertEquals(10, q.getLimitSnapshots());
        assertEquals(0, q.getUsedVolumes());
        Volume v = available(2);
        available(3);
        client.blocking().createSnapshot(CreateSnapshotRequest.newBuilder().setProjectId(project)
                .setVolumeId(v.getId()).build());
        q = quotas();
        assertEquals(2, q.getUsedVolumes());
        assertEquals(5, q.getUsedGigabytes());
        assertEquals(1, q.getUsedSnapshots());
    }

    @Test
    void overTheVolumesLimitIsRefusedNamingTheResourceAndTheRequestCanBeRetriedLater() {
        set(SetVolumeQuotasRequest.newBuilder().setVolumes(2));
        available(1);
        available(1);
        CreateVolumeRequest.Builder third = volumeRequest(project, 1);
        String desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.createVolume(third));
        assertEquals("quota exceeded: volumes 2 + 1 > 2", desc);
        assertEquals(2, volumeCount(), "nothing was made");
        set(SetVolumeQuotasRequest.newBuilder().setVolumes(3));
        Volume made = client.createVolume(third);
        assertEquals("CREATING", made.getStatus(), "the same request_id works once the limit allows it");
        assertEquals(3, volumeCount());
    }

    @Test
    void gigabytesLimitCreatesAndExtendsAndNothingChangesWhenRefused() {
        set(SetVolumeQuotasRequest.newBuilder().setGigabytes(3));
        Volume v = available(2);
        String desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED,
                () -> client.createVolume(volumeRequest(project, 2)));
        assertEquals("quota exceeded: gigabytes 2 + 2 > 3", desc);
        desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.blocking().extendVolume(
                ExtendVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).setSizeGb(4).build()));
        assertEquals("quota exceeded: gigabytes 2 + 2 > 3", desc);
        Volume after = client.awaitVolume(project, v.getId(), "AVAILABLE");
        assertEquals(2, after.getSizeGb());
        assertEquals(1, volumeCount());
        client.blocking().extendVolume(ExtendVolumeRequest.newBuilder().setProjectId(project).setId(v.getId())
                .setSizeGb(3).build());
        assertEquals(3, client.awaitVolume(project, v.getId(), "AVAILABLE").getSizeGb());
        assertEquals(3, quotas().getUsedGigabytes());
    }

    @Test
    void snapshotsLimitAndSeveralResourcesOverAtOnce() {
        set(SetVolumeQuotasRequest.newBuilder().setSnapshots(1));
        Volume v = available(1);
        client.blocking().createSnapshot(CreateSnapshotRequest.newBuilder().setProjectId(project)
                .setVolumeId(v.getId()).build());
        client.awaitVolume(project, v.getId(), "AVAILABLE");
        String desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.blocking().createSnapshot(
                CreateSnapshotRequest.newBuilder().setProjectId(project).setVolumeId(v.getId()).build()));
        assertEquals("quota exceeded: snapshots 1 + 1 > 1", desc);
        assertEquals("AVAILABLE", client.awaitVolume(project, v.getId(), "AVAILABLE").getStatus());

        set(SetVolumeQuotasRequest.newBuilder().setVolumes(1).setGigabytes(1));
        desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.createVolume(volumeRequest(project, 5)));
        assertEquals("quota exceeded: volumes 1 + 1 > 1, gigabytes 1 + 5 > 1", desc);
    }

    @Test
    void bootVolumeRecordsOfInstancesAreNotCountedAndMinusOneIsUnlimited() {
        set(SetVolumeQuotasRequest.newBuilder().setVolumes(0).setGigabytes(0));
        Volume record = client.createVolume(volumeRequest(project, 20).setOwnerId("i-quota"));
        assertEquals("IN_USE", record.getStatus());
        assertEquals(0, quotas().getUsedVolumes());
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.createVolume(volumeRequest(project, 1)));
        VolumeQuotas q = set(SetVolumeQuotasRequest.newBuilder().setVolumes(-1).setGigabytes(-1));
        assertEquals(-1, q.getLimitVolumes());
        assertEquals(10, q.getLimitSnapshots(), "a limit not given keeps its value");
        available(1);
    }

    @Test
    void badLimitsAreRefusedAndChangeNothing() {
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> set(SetVolumeQuotasRequest.newBuilder().setVolumes(5).setGigabytes(-2)));
        assertTrue(desc.startsWith("gigabytes: "), desc);
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> set(SetVolumeQuotasRequest.newBuilder()));
        assertEquals(10, quotas().getLimitVolumes(), "the valid part was not applied either");
    }

    @Test
    void concurrentCreatesCannotBothTakeTheLastSlots() throws Exception {
        set(SetVolumeQuotasRequest.newBuilder().setVolumes(3));
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    client.createVolume(volumeRequest(project, 1));
                    return true;
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
                    return false;
                }
            }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> f : outcomes) {
            won += f.get(2, TimeUnit.MINUTES) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(3, won, "exactly the limit's worth of creates won");
        assertEquals(3, volumeCount());
        assertEquals(3, quotas().getUsedVolumes());
    }
}
