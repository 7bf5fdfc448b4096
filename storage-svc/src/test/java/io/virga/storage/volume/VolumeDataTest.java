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
import io.virga.contracts.storage.v1.CreateSnapshotRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetSnapshotRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListSnapshotsRequest;
import io.virga.contracts.storage.v1.RevertVolumeRequest;
import io.virga.contracts.storage.v1.Snapshot;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes with data on the file backend, through the gRPC API: real qcow2 files under the data dir. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class VolumeDataTest {
    @GrpcClient("self")
    Channel channel;

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

    private Volume get(String id) {
        return client.blocking().getVolume(GetVolumeRequest.newBuilder().setProjectId(project).setId(id).build());
    }

    private Snapshot snapshot(String volumeId) {
        Snapshot s = client.blocking().createSnapshot(CreateSnapshotRequest.newBuilder().setProjectId(project)
                .setVolumeId(volumeId).setName("s").build());
        assertEquals("CREATING", s.getStatus());
        client.awaitVolume(project, volumeId, "AVAILABLE");
        Snapshot done = client.blocking().getSnapshot(GetSnapshotRequest.newBuilder().setProjectId(project)
                .setId(s.getId()).build());
        assertEquals("AVAILABLE", done.getStatus(), done.getError());
        return done;
    }

    private List<Snapshot> snapshots(String volumeId) {
        return client.blocking().listSnapshots(ListSnapshotsRequest.newBuilder().setProjectId(project)
                .setVolumeId(volumeId).build()).getSnapshotsList();
    }

    private static void write(Volume v, int pattern) {
        io.virga.storage.backend.FileBackendTestAccess.write(Path.of(v.getPath()), pattern);
    }

    private static boolean holds(Volume v, int pattern) {
        return io.virga.storage.backend.FileBackendTestAccess.holds(Path.of(v.getPath()), pattern);
    }

    @Test
    void blankFromImageAndCloneLiveInQcow2FilesAndDeleteRemovesThem() throws Exception {
        Volume blank = available(volumeRequest(project, 2));
        assertEquals("file", blank.getBackend());
        assertEquals("standard", blank.getVolumeType());
        Path file = Path.of(blank.getPath());
        assertTrue(Files.isRegularFile(file), file.toString());
        assertEquals("qcow2", blank.getFormat());

        Path qcow2 = Files.createTempFile("virga-image-", ".qcow2");
        try {
            Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", qcow2.toString(), "64M").start();
            assertEquals(0, p.waitFor());
            io.virga.storage.backend.FileBackendTestAccess.write(qcow2, 0x77);
            Image image = client.activeImage(project, "private", 1, Files.readAllBytes(qcow2));
            Volume fromImage = available(volumeRequest(project, 1).setImageId(image.getId()));
            assertTrue(fromImage.getBootable());
            assertTrue(holds(fromImage, 0x77), "the overlay reads the image's data");
        } finally {
            Files.deleteIfExists(qcow2);
        }

        write(blank, 0x5a);
        Volume clone = available(volumeRequest(project, 3).setSourceVolumeId(blank.getId()));
        assertTrue(holds(clone, 0x5a));
        assertEquals(blank.getId(), clone.getSourceVolumeId());

        assertEquals(1, client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project)
                .setId(blank.getId()).build()).getDeleted());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(file.getParent()));
        assertStatus(Status.Code.NOT_FOUND, () -> get(blank.getId()));
        assertTrue(holds(clone, 0x5a), "a clone does not depend on its source");
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.createVolume(volumeRequest(project, 0)));
        String type = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> client.createVolume(volumeRequest(project, 1).setVolumeType("golden")));
        assertTrue(type.startsWith("volume_type: unknown type golden"), type);
        assertStatus(Status.Code.NOT_FOUND,
                () -> client.createVolume(volumeRequest(project, 1).setSourceVolumeId("v-000000000000")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.createVolume(volumeRequest(project, 1)
                .setSourceVolumeId("v-000000000000").setSnapshotId("snap-000000000000")));
        assertEquals(List.of(), client.blocking().listVolumes(
                io.virga.contracts.storage.v1.ListVolumesRequest.newBuilder().setProjectId(project).build())
                .getVolumesList());

        Volume v = available(volumeRequest(project, 2));
        String shrink = assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.blocking().extendVolume(
                ExtendVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).setSizeGb(1).build()));
        assertTrue(shrink.contains("only grow"), shrink);
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> client.blocking().extendVolume(
                ExtendVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).setSizeGb(2).build()));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().revertVolume(
                RevertVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).build()));
        assertEquals(v, get(v.getId()));
    }

    @Test
    void extendGrowsTheFile() throws Exception {
        Volume v = available(volumeRequest(project, 1));
        Volume extending = client.blocking().extendVolume(ExtendVolumeRequest.newBuilder().setProjectId(project)
                .setId(v.getId()).setSizeGb(3).build());
        assertEquals("EXTENDING", extending.getStatus());
        assertEquals(3, extending.getTargetSizeGb());
        Volume grown = client.awaitVolume(project, v.getId(), "AVAILABLE");
        assertEquals(3, grown.getSizeGb());
        Process p = new ProcessBuilder("qemu-img", "info", "-U", grown.getPath()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.contains("virtual size: 3 GiB"), out);
    }

    @Test
    void snapshotsRevertAndDeleteInTheMiddle() {
        Volume v = available(volumeRequest(project, 1));
        write(v, 0x01);
        Snapshot first = snapshot(v.getId());
        write(v, 0x02);
        Snapshot second = snapshot(v.getId());
        write(v, 0x03);
        assertEquals(List.of(first.getId(), second.getId()), snapshots(v.getId()).stream().map(Snapshot::getId).toList());

        // Snapshot → new volume: the data as it was then.
        Volume fromFirst = available(volumeRequest(project, 1).setSnapshotId(first.getId()));
        assertTrue(holds(fromFirst, 0x01));

        // Revert to the latest (the second): the third write is gone.
        Volume reverting = client.blocking().revertVolume(RevertVolumeRequest.newBuilder().setProjectId(project)
                .setId(v.getId()).build());
        assertEquals("REVERTING", reverting.getStatus());
        assertTrue(holds(client.awaitVolume(project, v.getId(), "AVAILABLE"), 0x02));

        // A volume with snapshots cannot be deleted; deleting the first (the middle of image ← first ← second ← volume)
        // keeps the data of the volume and of the second.
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> client.blocking().deleteVolume(
                DeleteVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).build()));
        assertEquals(1, client.blocking().deleteSnapshot(GetSnapshotRequest.newBuilder().setProjectId(project)
                .setId(first.getId()).build()).getDeleted());
        client.awaitVolume(project, v.getId(), "AVAILABLE");
        assertEquals(List.of(second.getId()), snapshots(v.getId()).stream().map(Snapshot::getId).toList());
        assertTrue(holds(get(v.getId()), 0x02));
        Volume fromSecond = available(volumeRequest(project, 1).setSnapshotId(second.getId()));
        assertTrue(holds(fromSecond, 0x02));

        assertEquals(1, client.blocking().deleteSnapshot(GetSnapshotRequest.newBuilder().setProjectId(project)
                .setId(second.getId()).build()).getDeleted());
        client.awaitVolume(project, v.getId(), "AVAILABLE");
        assertEquals(List.of(), snapshots(v.getId()));
        assertTrue(holds(get(v.getId()), 0x02));
        assertEquals(1, client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project)
                .setId(v.getId()).build()).getDeleted());
    }
}
