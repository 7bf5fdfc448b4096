package io.virga.storage.grpc;

import static io.virga.storage.testing.StorageAssertions.assertStatus;
import static io.virga.storage.testing.StorageClient.newProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.StorageServiceGrpc.StorageServiceBlockingStub;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: INVALID_ARGUMENT naming the field, and nothing created. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class ValidationTest {
    private static final String LONG_129 = "x".repeat(129);

    @GrpcClient("self")
    Channel channel;

    private static CreateImageRequest.Builder image(String project) {
        return CreateImageRequest.newBuilder().setProjectId(project).setName("ubuntu").setDiskFormat("qcow2")
                .setVisibility("private").setMinDiskGb(1);
    }

    private static CreateVolumeRequest.Builder volume(String project) {
        return CreateVolumeRequest.newBuilder().setProjectId(project).setName("data").setSizeGb(1)
                .setRequestId("req-1");
    }

    private static Arguments badImage(String scenario, String field,
            java.util.function.UnaryOperator<CreateImageRequest.Builder> change) {
        return Arguments.of(scenario, field,
                (BiConsumer<StorageServiceBlockingStub, String>) (stub, p) -> stub.createImage(change.apply(image(p)).build()));
    }

    private static Arguments badVolume(String scenario, String field,
            java.util.function.UnaryOperator<CreateVolumeRequest.Builder> change) {
        return Arguments.of(scenario, field,
                (BiConsumer<StorageServiceBlockingStub, String>) (stub, p) -> stub.createVolume(change.apply(volume(p)).build()));
    }

    private static Arguments bad(String scenario, String field, BiConsumer<StorageServiceBlockingStub, String> call) {
        return Arguments.of(scenario, field, call);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                badImage("image without project", "project_id", b -> b.setProjectId("")),
                badImage("image with a malformed project", "project_id", b -> b.setProjectId("../etc")),
                badImage("image without name", "name", b -> b.setName("")),
                badImage("image with a blank name", "name", b -> b.setName("   ")),
                badImage("image with a 129-character name", "name", b -> b.setName(LONG_129)),
                badImage("image with a control character in its name", "name", b -> b.setName("a\nb")),
                badImage("image without disk format", "disk_format", b -> b.setDiskFormat("")),
                badImage("image with an unknown disk format", "disk_format", b -> b.setDiskFormat("vmdk")),
                badImage("image with upper-case disk format", "disk_format", b -> b.setDiskFormat("QCOW2")),
                badImage("image with an unknown visibility", "visibility", b -> b.setVisibility("shared")),
                badImage("image with min_disk_gb above 16384", "min_disk_gb", b -> b.setMinDiskGb(16385)),
                badImage("image with min_disk_gb as a negative int", "min_disk_gb", b -> b.setMinDiskGb(-1)),
                badVolume("volume without project", "project_id", b -> b.setProjectId("")),
                badVolume("volume without request id", "request_id", b -> b.setRequestId("")),
                badVolume("volume with a 129-character request id", "request_id", b -> b.setRequestId(LONG_129)),
                badVolume("volume of 0 GiB", "size_gb", b -> b.setSizeGb(0)),
                badVolume("volume above 16384 GiB", "size_gb", b -> b.setSizeGb(16385)),
                badVolume("volume with a 129-character name", "name", b -> b.setName(LONG_129)),
                badVolume("volume with a malformed owner", "owner_id", b -> b.setOwnerId("i 1")),
                badVolume("volume with an overlong image id", "image_id", b -> b.setImageId("img-" + LONG_129)),
                bad("get image without id", "id", (s, p) -> s.getImage(GetImageRequest.newBuilder().setProjectId(p).build())),
                bad("get image without project", "project_id",
                        (s, p) -> s.getImage(GetImageRequest.newBuilder().setId("img-000000000000").build())),
                bad("list images without project", "project_id", (s, p) -> s.listImages(ListImagesRequest.newBuilder().build())),
                bad("delete image without id", "id",
                        (s, p) -> s.deleteImage(DeleteImageRequest.newBuilder().setProjectId(p).build())),
                bad("get volume without id", "id", (s, p) -> s.getVolume(GetVolumeRequest.newBuilder().setProjectId(p).build())),
                bad("list volumes with a malformed owner", "owner_id",
                        (s, p) -> s.listVolumes(ListVolumesRequest.newBuilder().setProjectId(p).setOwnerId("a/b").build())),
                bad("delete volume without project", "project_id",
                        (s, p) -> s.deleteVolume(DeleteVolumeRequest.newBuilder().setId("v-000000000000").build())),
                bad("delete volumes of no owner", "owner_id",
                        (s, p) -> s.deleteVolumesByOwner(DeleteVolumesByOwnerRequest.newBuilder().setProjectId(p).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputIsInvalidArgumentOnItsFieldAndChangesNothing(String scenario, String field,
            BiConsumer<StorageServiceBlockingStub, String> call) {
        StorageClient client = new StorageClient(channel);
        String project = newProject();
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT, () -> call.accept(client.blocking(), project));
        assertTrue(desc.startsWith(field + ": "), desc);
        assertEquals(0, client.blocking().listVolumes(ListVolumesRequest.newBuilder().setProjectId(project).build())
                .getVolumesCount());
        assertTrue(client.blocking().listImages(ListImagesRequest.newBuilder().setProjectId(project).build())
                .getImagesList().stream().noneMatch(i -> i.getProjectId().equals(project)));
    }

    @Test
    void boundaryValuesAreAccepted() {
        StorageClient client = new StorageClient(channel);
        String project = newProject();
        StorageServiceBlockingStub stub = client.blocking();
        stub.createImage(image(project).setName("é".repeat(128)).setMinDiskGb(16384).setDiskFormat("raw").build());
        stub.createImage(image(project).setMinDiskGb(0).setDiskFormat("oci").setVisibility("public").build());
        // the largest size is above the default gigabytes quota (1000): lift it for this project
        stub.setVolumeQuotas(io.virga.contracts.storage.v1.SetVolumeQuotasRequest.newBuilder().setProjectId(project)
                .setGigabytes(-1).build());
        stub.createVolume(volume(project).setSizeGb(16384).setName("").build());
        stub.createVolume(volume(project).setRequestId("r".repeat(128)).setName("x".repeat(128)).build());
    }
}
