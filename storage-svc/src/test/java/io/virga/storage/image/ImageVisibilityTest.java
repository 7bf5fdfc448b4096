package io.virga.storage.image;

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
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.StorageConfig;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class ImageVisibilityTest {
    @GrpcClient("self")
    Channel channel;

    @Inject
    StorageConfig config;

    StorageClient client;
    String a;
    String b;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        a = newProject();
        b = newProject();
    }

    private Image get(String project, String id) {
        return client.blocking().getImage(GetImageRequest.newBuilder().setProjectId(project).setId(id).build());
    }

    private List<String> listIds(String project) {
        return client.blocking().listImages(ListImagesRequest.newBuilder().setProjectId(project).build())
                .getImagesList().stream().map(Image::getId).toList();
    }

    private int delete(String project, String id) {
        return client.blocking().deleteImage(DeleteImageRequest.newBuilder().setProjectId(project).setId(id).build())
                .getDeleted();
    }

    @Test
    void aProjectSeesItsOwnImagesAndPublicOnesButNotOthersPrivateImages() {
        Image aPrivate = client.createImage(a, "private", 0);
        Image aPublic = client.createImage(a, "public", 0);
        Image bPrivate = client.createImage(b, "", 0); // empty visibility means private
        assertEquals("private", bPrivate.getVisibility());

        assertTrue(listIds(a).containsAll(List.of(aPrivate.getId(), aPublic.getId())));
        assertFalse(listIds(a).contains(bPrivate.getId()));
        assertTrue(listIds(b).containsAll(List.of(aPublic.getId(), bPrivate.getId())));
        assertFalse(listIds(b).contains(aPrivate.getId()));

        assertEquals(aPublic, get(b, aPublic.getId()));
        assertEquals("image " + aPrivate.getId() + " not found",
                assertStatus(Status.Code.NOT_FOUND, () -> get(b, aPrivate.getId())));
        assertStatus(Status.Code.NOT_FOUND, () -> delete(b, aPrivate.getId()));
        assertEquals(aPrivate, get(a, aPrivate.getId()));
    }

    @Test
    void onlyTheOwnerDeletesAndNotWhileAVolumeUsesTheImage() {
        Image image = client.activeImage(a, "public", 0, new byte[] {1, 2, 3});
        Path file = config.dataDir().toAbsolutePath().normalize().resolve("images").resolve(image.getId());
        assertTrue(Files.exists(file));

        assertStatus(Status.Code.PERMISSION_DENIED, () -> delete(b, image.getId()));
        Volume fromImage = client.createVolume(volumeRequest(b, 1).setImageId(image.getId()));
        String desc = assertStatus(Status.Code.FAILED_PRECONDITION, () -> delete(a, image.getId()));
        assertTrue(desc.contains("in use by volumes"), desc);
        assertTrue(Files.exists(file));

        // the build runs in the background; three bytes are no qcow2, so it ends in ERROR, which can be deleted
        client.awaitVolume(b, fromImage.getId(), "ERROR");
        client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(b).setId(fromImage.getId())
                .build());
        assertEquals(1, delete(a, image.getId()));
        assertFalse(Files.exists(file));
        assertStatus(Status.Code.NOT_FOUND, () -> get(a, image.getId()));
        assertStatus(Status.Code.NOT_FOUND, () -> delete(a, image.getId()));
    }

    @Test
    void aQueuedImageCanBeDeleted() {
        Image image = client.createImage(a, "private", 0);
        assertEquals(1, delete(a, image.getId()));
        assertFalse(listIds(a).contains(image.getId()));
    }
}
