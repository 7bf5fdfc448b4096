package io.virga.storage.image;

import static io.virga.storage.testing.StorageClient.newProject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Image properties (kernel_id, virt_mode, …) round-trip and are validated; ACTIVE images say where their bytes are. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class ImagePropertiesTest {

    @GrpcClient("self")
    Channel channel;

    StorageClient client;
    String project;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        project = newProject();
    }

    private Image create(Map<String, String> properties) {
        return client.blocking().createImage(CreateImageRequest.newBuilder().setProjectId(project).setName("img")
                .setDiskFormat("qcow2").setVisibility("private").putAllProperties(properties).build());
    }

    @Test
    void propertiesRoundTripAndActiveImagesHaveALocationHoldingTheirBytes() throws Exception {
        Image kernel = client.activeImage(project, "private", 0, new byte[] {1, 2, 3});
        Image initrd = client.activeImage(project, "private", 0, new byte[] {4, 5});
        Image disk = create(Map.of("kernel_id", kernel.getId(), "ramdisk_id", initrd.getId(), "virt_mode", "full",
                "os", "virga-busybox", "os_command_line", "quiet"));
        assertEquals("", disk.getLocation(), "a QUEUED image has no data yet");
        assertEquals(Map.of("kernel_id", kernel.getId(), "ramdisk_id", initrd.getId(), "virt_mode", "full",
                "os", "virga-busybox", "os_command_line", "quiet"), disk.getPropertiesMap());

        Image got = client.blocking().getImage(GetImageRequest.newBuilder().setProjectId(project)
                .setId(kernel.getId()).build());
        Path location = Path.of(got.getLocation());
        assertTrue(location.isAbsolute(), got.getLocation());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(location));

        Image listed = client.blocking().listImages(ListImagesRequest.newBuilder().setProjectId(project).build())
                .getImagesList().stream().filter(i -> i.getId().equals(disk.getId())).findFirst().orElseThrow();
        assertEquals("full", listed.getPropertiesMap().get("virt_mode"));
    }

    static Stream<Arguments> badProperties() {
        return Stream.of(
                Arguments.of(Map.of("Bad Key", "x"), "properties"),
                Arguments.of(Map.of("virt_mode", "turbo"), "properties.virt_mode"),
                Arguments.of(Map.of("kind", "vm2"), "properties.kind"),
                Arguments.of(Map.of("container_mode", "daemon"), "properties.container_mode"),
                Arguments.of(Map.of("min_ram_mb", "lots"), "properties.min_ram_mb"),
                Arguments.of(Map.of("min_ram_mb", "-1"), "properties.min_ram_mb"),
                Arguments.of(Map.of("kernel_id", "vmlinuz"), "properties.kernel_id"),
                Arguments.of(Map.of("kernel_id", "img-doesnotexist0"), "properties"),
                Arguments.of(Map.of("os", "x".repeat(1025)), "properties.os"));
    }

    @ParameterizedTest
    @MethodSource("badProperties")
    void badPropertiesAreRefusedNamingTheFieldAndMakeNoImage(Map<String, String> properties, String field) {
        int before = client.blocking().listImages(ListImagesRequest.newBuilder().setProjectId(project).build())
                .getImagesCount();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> create(properties));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith(field + ":"), e.getStatus().getDescription());
        assertEquals(before, client.blocking().listImages(ListImagesRequest.newBuilder().setProjectId(project)
                .build()).getImagesCount());
    }

    @Test
    void anotherProjectsPrivateKernelCannotBeReferenced() {
        Image foreign = client.activeImage(newProject(), "private", 0, new byte[] {9});
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> create(Map.of("kernel_id", foreign.getId())));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }
}
