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
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class VolumeLifecycleTest {
    @GrpcClient("self")
    Channel channel;

    StorageClient client;
    String project;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        project = newProject();
    }

    private Volume get(String projectId, String id) {
        return client.blocking().getVolume(GetVolumeRequest.newBuilder().setProjectId(projectId).setId(id).build());
    }

    private List<Volume> list(String projectId, String owner) {
        return client.blocking().listVolumes(ListVolumesRequest.newBuilder().setProjectId(projectId)
                .setOwnerId(owner).build()).getVolumesList();
    }

    private int delete(String projectId, String id, boolean force) {
        return client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(projectId).setId(id)
                .setForce(force).build()).getDeleted();
    }

    private int deleteByOwner(String projectId, String owner) {
        return client.blocking().deleteVolumesByOwner(DeleteVolumesByOwnerRequest.newBuilder()
                .setProjectId(projectId).setOwnerId(owner).build()).getDeleted();
    }

    @Test
    void aBlankVolumeIsAvailableAndAnOwnedOneIsInUse() {
        Volume created = client.createVolume(volumeRequest(project, 5));
        assertEquals("CREATING", created.getStatus());
        Volume blank = client.awaitVolume(project, created.getId(), "AVAILABLE");
        assertFalse(blank.getBootable());
        assertEquals("", blank.getImageId());
        assertTrue(Ids.looksLike("v", blank.getId()), blank.getId());

        String instance = Ids.newId("i");
        Volume owned = client.createVolume(volumeRequest(project, 5).setOwnerId(instance));
        assertEquals("IN_USE", owned.getStatus());
        assertEquals(instance, owned.getOwnerId());
        assertEquals(owned, get(project, owned.getId()));
        assertEquals(List.of(owned), list(project, instance));
        assertEquals(List.of(blank, owned), list(project, ""));
    }

    @Test
    void aVolumeFromAQueuedImageIsRefused() {
        Image queued = client.createImage(project, "private", 0);
        String desc = assertStatus(Status.Code.FAILED_PRECONDITION,
                () -> client.createVolume(volumeRequest(project, 5).setImageId(queued.getId())));
        assertEquals("image " + queued.getId() + " is QUEUED, upload its data first", desc);
        assertEquals(List.of(), list(project, ""));
    }

    @Test
    void aVolumeFromAnImageIsAtLeastTheImagesMinDisk() {
        Image image = client.activeImage(project, "private", 10, new byte[] {7});
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> client.createVolume(volumeRequest(project, 9).setImageId(image.getId())));
        assertEquals("size_gb: must be at least 10 for image " + image.getId(), desc);
        assertEquals(List.of(), list(project, ""));

        Volume boot = client.createVolume(volumeRequest(project, 10).setImageId(image.getId()));
        assertTrue(boot.getBootable());
        assertEquals(image.getId(), boot.getImageId());
    }

    @Test
    void aRetriedCreateReturnsTheFirstVolume() {
        CreateVolumeRequest.Builder request = volumeRequest(project, 3).setOwnerId("i-retry").setDeleteOnTermination(true);
        Volume first = client.createVolume(request);
        Volume again = client.createVolume(request);
        assertEquals(first, again);
        assertEquals(1, list(project, "").size());

        String desc = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> client.createVolume(request.clone().setSizeGb(4)));
        assertTrue(desc.startsWith("request_id: "), desc);

        // Another project may use the same request id: keys are per project.
        Volume otherProjects = client.createVolume(request.clone().setProjectId(newProject()));
        assertFalse(otherProjects.getId().equals(first.getId()));

        // After the volume is deleted, a late retry does not bring it back.
        assertEquals(1, delete(project, first.getId(), true));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.createVolume(request));
        assertEquals(List.of(), list(project, ""));
    }

    @Test
    void concurrentRetriesMakeOneVolume() throws Exception {
        CreateVolumeRequest.Builder request = volumeRequest(project, 1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Volume>> results = IntStream.range(0, 6)
                    .mapToObj(i -> pool.submit(() -> client.createVolume(request.clone()))).toList();
            Set<String> ids = new java.util.HashSet<>();
            for (Future<Volume> f : results) {
                ids.add(f.get().getId());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, list(project, "").size());
    }

    @Test
    void deletingAnInUseVolumeNeedsForceAndIsIdempotent() {
        Volume owned = client.createVolume(volumeRequest(project, 2).setOwnerId("i-owner1"));
        String desc = assertStatus(Status.Code.FAILED_PRECONDITION, () -> delete(project, owned.getId(), false));
        assertTrue(desc.contains("IN_USE"), desc);
        assertEquals(owned, get(project, owned.getId()));

        assertEquals(1, delete(project, owned.getId(), true));
        assertStatus(Status.Code.NOT_FOUND, () -> get(project, owned.getId()));
        assertEquals(0, delete(project, owned.getId(), true));
        assertEquals(0, delete(project, "v-000000000000", false));

        Volume available = client.createVolume(volumeRequest(project, 2));
        client.awaitVolume(project, available.getId(), "AVAILABLE");
        assertEquals(1, delete(project, available.getId(), false));
        assertStatus(Status.Code.NOT_FOUND, () -> get(project, available.getId()));
    }

    @Test
    void deletingAnOwnersVolumesDeletesTheDisposableOnesAndDetachesTheRest() {
        String instance = Ids.newId("i");
        Volume boot = client.createVolume(volumeRequest(project, 2).setOwnerId(instance).setDeleteOnTermination(true));
        Volume scratch = client.createVolume(volumeRequest(project, 2).setOwnerId(instance).setDeleteOnTermination(true));
        Volume data = client.createVolume(volumeRequest(project, 2).setOwnerId(instance));
        Volume someoneElses = client.createVolume(volumeRequest(project, 2).setOwnerId(Ids.newId("i"))
                .setDeleteOnTermination(true));

        assertEquals(2, deleteByOwner(project, instance));
        Set<String> left = list(project, "").stream().map(Volume::getId).collect(Collectors.toSet());
        assertEquals(Set.of(data.getId(), someoneElses.getId()), left);
        Volume detached = get(project, data.getId());
        assertEquals("AVAILABLE", detached.getStatus());
        assertEquals("", detached.getOwnerId());
        assertStatus(Status.Code.NOT_FOUND, () -> get(project, boot.getId()));
        assertStatus(Status.Code.NOT_FOUND, () -> get(project, scratch.getId()));

        assertEquals(0, deleteByOwner(project, instance));
        assertEquals(0, deleteByOwner(newProject(), someoneElses.getOwnerId()));
        assertEquals(someoneElses, get(project, someoneElses.getId()));
    }

    @Test
    void projectsAreWalls() {
        String other = newProject();
        Volume mine = client.createVolume(volumeRequest(project, 1).setOwnerId("i-wall"));
        Image privateImage = client.activeImage(project, "private", 0, new byte[] {1});
        Image publicImage = client.activeImage(project, "public", 1, new byte[] {2});

        assertEquals("volume " + mine.getId() + " not found",
                assertStatus(Status.Code.NOT_FOUND, () -> get(other, mine.getId())));
        assertEquals(List.of(), list(other, ""));
        assertEquals(0, delete(other, mine.getId(), true));
        assertEquals(0, deleteByOwner(other, "i-wall"));
        assertEquals(mine, get(project, mine.getId()));

        assertStatus(Status.Code.NOT_FOUND,
                () -> client.createVolume(volumeRequest(other, 1).setImageId(privateImage.getId())));
        Volume fromPublic = client.createVolume(volumeRequest(other, 1).setImageId(publicImage.getId()));
        assertEquals(other, fromPublic.getProjectId());
        assertEquals(publicImage.getId(), fromPublic.getImageId());
    }
}
