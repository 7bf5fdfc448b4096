package io.virga.storage.volume;

import static io.virga.storage.testing.StorageAssertions.assertStatus;
import static io.virga.storage.testing.StorageClient.newProject;
import static io.virga.storage.testing.StorageClient.volumeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.ResetVolumeStateRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.storage.testing.StorageClient;
import io.virga.storage.testing.StorageTestEnv;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin's reset-state of stuck volumes, and delete_on_termination of volumes an instance boots
 * from (deleted with it by DeleteVolumesByOwner, while volumes without the flag are only detached).
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_storage"))
@QuarkusTestResource(StorageTestEnv.class)
class StateResetTest {
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

    private AttachmentRequest on(Volume v, String instance) {
        return AttachmentRequest.newBuilder().setProjectId(project).setId(v.getId()).setInstanceId(instance).build();
    }

    private void attach(Volume v, String instance) {
        client.blocking().beginAttach(on(v, instance));
        client.blocking().endAttach(EndOperationRequest.newBuilder().setProjectId(project).setId(v.getId())
                .setInstanceId(instance).setSucceeded(true).build());
    }

    private Volume reset(String projectId, Volume v, String status) {
        return client.blocking().resetVolumeState(ResetVolumeStateRequest.newBuilder().setProjectId(projectId)
                .setId(v.getId()).setStatus(status).build());
    }

    private Volume get(Volume v) {
        return client.blocking().getVolume(GetVolumeRequest.newBuilder().setProjectId(project).setId(v.getId()).build());
    }

    @Test
    void aVolumeStuckAttachingIsResetToAvailableAndCanBeAttachedAgain() {
        Volume v = available(volumeRequest(project, 1));
        assertEquals("ATTACHING", client.blocking().beginAttach(on(v, "i-gone")).getStatus());
        Volume reset = reset(project, v, "available");
        assertEquals("AVAILABLE", reset.getStatus());
        assertEquals(List.of(), reset.getAttachmentsList());
        assertEquals("", reset.getPendingInstanceId());
        assertTrue(reset.getError().startsWith("reset from ATTACHING to AVAILABLE by an admin"), reset.getError());
        attach(v, "i-next");
        assertEquals(List.of("i-next"), get(v).getAttachmentsList());
        assertEquals("IN_USE", get(v).getStatus());
    }

    @Test
    void resetToErrorKeepsTheAttachmentsAndTheVolumeCanThenBeDeleted() {
        Volume v = available(volumeRequest(project, 1));
        attach(v, "i-one");
        Volume reset = reset(project, v, "ERROR");
        assertEquals("ERROR", reset.getStatus());
        assertEquals(List.of("i-one"), reset.getAttachmentsList());
        assertEquals(1, client.blocking().deleteVolume(DeleteVolumeRequest.newBuilder().setProjectId(project)
                .setId(v.getId()).build()).getDeleted());
    }

    @Test
    void badResetsAreRefusedAndChangeNothing() {
        Volume v = available(volumeRequest(project, 1));
        String desc = assertStatus(Status.Code.INVALID_ARGUMENT, () -> reset(project, v, "in-use"));
        assertTrue(desc.startsWith("status: "), desc);
        assertStatus(Status.Code.NOT_FOUND, () -> reset(newProject(), v, "error"));
        Volume record = client.createVolume(volumeRequest(project, 1).setOwnerId("i-rec"));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> reset(project, record, "available"));
        assertEquals("AVAILABLE", get(v).getStatus());
        assertEquals("", get(v).getError());
    }

    @Test
    void deleteByOwnerDeletesTheDeleteOnTerminationVolumesItAloneHoldsAndDetachesTheRest() {
        Volume boot = available(volumeRequest(project, 1).setDeleteOnTermination(true));
        Volume kept = available(volumeRequest(project, 1));
        Volume pending = available(volumeRequest(project, 1).setDeleteOnTermination(true));
        attach(boot, "i-owner");
        attach(kept, "i-owner");
        client.blocking().beginAttach(on(pending, "i-owner"));
        int deleted = client.blocking().deleteVolumesByOwner(DeleteVolumesByOwnerRequest.newBuilder()
                .setProjectId(project).setOwnerId("i-owner").build()).getDeleted();
        assertEquals(2, deleted, "the boot volume and the one being attached at boot");
        List<Volume> left = client.blocking().listVolumes(ListVolumesRequest.newBuilder().setProjectId(project)
                .build()).getVolumesList();
        assertEquals(List.of(kept.getId()), left.stream().map(Volume::getId).toList());
        assertEquals("AVAILABLE", left.get(0).getStatus());
        assertEquals(List.of(), left.get(0).getAttachmentsList());
    }
}
