package io.virga.storage.image;

import static io.virga.storage.testing.StorageAssertions.assertNoTempFiles;
import static io.virga.storage.testing.StorageAssertions.assertStatus;
import static io.virga.storage.testing.StorageAssertions.eventually;
import static io.virga.storage.testing.StorageClient.first;
import static io.virga.storage.testing.StorageClient.next;
import static io.virga.storage.testing.StorageClient.newProject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.StorageConfig;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class ImageUploadTest {
    private static final int MAX = 1024 * 1024; // %test.virga.storage.max-image-bytes

    @GrpcClient("self")
    Channel channel;

    @Inject
    StorageConfig config;

    StorageClient client;
    String project;

    @BeforeEach
    void setUp() {
        client = new StorageClient(channel);
        project = newProject();
    }

    private Path dataDir() {
        return config.dataDir().toAbsolutePath().normalize();
    }

    private Image get(String id) {
        return client.blocking().getImage(GetImageRequest.newBuilder().setProjectId(project).setId(id).build());
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void uploadInSeveralChunksMakesTheImageActiveWithItsSizeAndSha256() throws Exception {
        Image image = client.createImage(project, "private", 1);
        assertEquals("QUEUED", image.getStatus());

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<ImageChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] part = random(50_000 + i * 1_000, i);
            all.write(part);
            chunks.add(i == 0 ? first(project, image.getId(), part) : next(part));
        }
        Image active = client.upload(chunks);

        byte[] expected = all.toByteArray();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
        assertEquals("ACTIVE", active.getStatus());
        assertEquals(expected.length, active.getSizeBytes());
        assertEquals(sha, active.getSha256());
        assertEquals(active, get(image.getId()));
        assertArrayEquals(expected, Files.readAllBytes(dataDir().resolve("images").resolve(image.getId())));
        assertNoTempFiles(dataDir());
    }

    @Test
    void hundredsOfSmallChunksArriveInOrder() throws Exception {
        Image image = client.createImage(project, "private", 0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<ImageChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] part = random(1 + i % 997, 100 + i);
            all.write(part);
            chunks.add(i == 0 ? first(project, image.getId(), part) : next(part));
        }
        Image active = client.upload(chunks);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray())),
                active.getSha256());
        assertEquals(all.size(), active.getSizeBytes());
    }

    @Test
    void uploadToAnUnknownImageIsNotFound() {
        String desc = assertStatus(Status.Code.NOT_FOUND,
                () -> client.upload(List.of(first(project, "img-000000000000", random(10, 1)))));
        assertEquals("image img-000000000000 not found", desc);
        assertNoTempFiles(dataDir());
    }

    static Stream<Arguments> firstChunksWithoutTheirNames() {
        return Stream.of(
                Arguments.of("no project", "", "IMAGE", "project_id: required"),
                Arguments.of("no image", "PROJECT", "", "image_id: required"),
                Arguments.of("bad project", "a b", "IMAGE", "project_id: must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstChunksWithoutTheirNames")
    void theFirstChunkMustNameProjectAndImage(String scenario, String projectId, String imageId, String message) {
        Image image = client.createImage(project, "private", 0);
        ImageChunk chunk = ImageChunk.newBuilder()
                .setProjectId(projectId.equals("PROJECT") ? project : projectId)
                .setImageId(imageId.equals("IMAGE") ? image.getId() : imageId)
                .setData(com.google.protobuf.ByteString.copyFrom(random(10, 2))).build();
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.upload(List.of(chunk)));
        assertTrue(desc.startsWith(message), desc);
        assertEquals("QUEUED", get(image.getId()).getStatus());
    }

    @Test
    void anEmptyStreamOrAnUploadWithoutBytesIsRefused() {
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.upload(List.of()));
        Image image = client.createImage(project, "private", 0);
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> client.upload(List.of(first(project, image.getId(), new byte[0]))));
        assertEquals("data: the upload carried no bytes", desc);
        assertEquals("QUEUED", get(image.getId()).getStatus());
        assertNoTempFiles(dataDir());
    }

    @Test
    void aSecondUploadIsRefusedAndTheDataStaysAsItWas() throws Exception {
        byte[] data = random(1000, 3);
        Image active = client.activeImage(project, "private", 0, data);
        String desc = assertStatus(Status.Code.FAILED_PRECONDITION,
                () -> client.upload(List.of(first(project, active.getId(), random(500, 4)))));
        assertTrue(desc.contains("already has its data"), desc);
        assertEquals(active, get(active.getId()));
        assertArrayEquals(data, Files.readAllBytes(dataDir().resolve("images").resolve(active.getId())));
        assertNoTempFiles(dataDir());
    }

    @Test
    void anOversizedUploadIsRefusedLeavesNoFileAndTheImageQueued() {
        Image image = client.createImage(project, "private", 0);
        List<ImageChunk> chunks = List.of(first(project, image.getId(), random(MAX / 2, 5)),
                next(random(MAX / 2, 6)), next(random(1, 7)));
        String desc = assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> client.upload(chunks));
        assertTrue(desc.contains("maximum image size"), desc);
        assertEquals("QUEUED", get(image.getId()).getStatus());
        assertFalse(Files.exists(dataDir().resolve("images").resolve(image.getId())));
        assertNoTempFiles(dataDir());
        // Exactly the maximum is fine.
        Image active = client.upload(List.of(first(project, image.getId(), random(MAX, 8))));
        assertEquals(MAX, active.getSizeBytes());
    }

    @Test
    void aCancelledUploadLeavesNoFileAndTheImageQueued() {
        Image image = client.createImage(project, "private", 0);
        StorageClient.Upload upload = client.startUpload();
        upload.requests().onNext(first(project, image.getId(), random(10_000, 9)));
        Path tmp = dataDir().resolve("tmp");
        eventually(Duration.ofMinutes(2), () -> !io.virga.storage.testing.StorageAssertions.filesIn(tmp).isEmpty(),
                "the upload's temp file exists");

        upload.requests().onError(new RuntimeException("client gives up")); // cancels the call
        assertStatus(Status.Code.CANCELLED, upload::await);
        eventually(Duration.ofMinutes(2), () -> io.virga.storage.testing.StorageAssertions.filesIn(tmp).isEmpty(),
                "the temp file is removed");
        assertEquals("QUEUED", get(image.getId()).getStatus());
        assertFalse(Files.exists(dataDir().resolve("images").resolve(image.getId())));
    }

    @Test
    void twoConcurrentUploadsToOneImageMakeExactlyOneWinner() throws Exception {
        Image image = client.createImage(project, "private", 0);
        byte[] a = random(200_000, 10);
        byte[] b = random(200_000, 11);
        StorageClient.Upload first = client.startUpload();
        StorageClient.Upload second = client.startUpload();
        first.requests().onNext(first(project, image.getId(), a));
        second.requests().onNext(first(project, image.getId(), b));
        first.requests().onCompleted();
        second.requests().onCompleted();

        List<Image> winners = new ArrayList<>();
        List<Status.Code> losers = new ArrayList<>();
        for (StorageClient.Upload u : List.of(first, second)) {
            try {
                winners.add(u.await());
            } catch (StatusRuntimeException e) {
                losers.add(e.getStatus().getCode());
            }
        }
        assertEquals(1, winners.size());
        assertEquals(List.of(Status.Code.FAILED_PRECONDITION), losers);
        byte[] stored = Files.readAllBytes(dataDir().resolve("images").resolve(image.getId()));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored));
        assertEquals(winners.get(0).getSha256(), sha);
        assertEquals(get(image.getId()), winners.get(0));
        assertNoTempFiles(dataDir());
    }

    @Test
    void onlyTheOwnerUploads() {
        String other = newProject();
        Image privateImage = client.createImage(project, "private", 0);
        Image publicImage = client.createImage(project, "public", 0);
        assertStatus(Status.Code.NOT_FOUND,
                () -> client.upload(List.of(first(other, privateImage.getId(), random(10, 12)))));
        assertStatus(Status.Code.PERMISSION_DENIED,
                () -> client.upload(List.of(first(other, publicImage.getId(), random(10, 12)))));
        assertEquals("QUEUED", get(publicImage.getId()).getStatus());
        assertNoTempFiles(dataDir());
    }
}
