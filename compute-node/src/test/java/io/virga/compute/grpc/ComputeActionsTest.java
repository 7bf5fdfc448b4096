package io.virga.compute.grpc;

import static io.virga.compute.grpc.ComputeServiceTest.powerState;
import static io.virga.compute.grpc.ComputeServiceTest.spawnRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.virga.compute.testing.KafkaProbe;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.AttachVolumeRequest;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.ConsoleEndpoint;
import io.virga.contracts.compute.v1.DataChunk;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.DetachVolumeRequest;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.DiskConnection;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.Guest;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.ListGuestsRequest;
import io.virga.contracts.compute.v1.MigrateLiveRequest;
import io.virga.contracts.compute.v1.MutinyComputeServiceGrpc;
import io.virga.contracts.compute.v1.PrepareIncomingRequest;
import io.virga.contracts.compute.v1.PrepareIncomingResponse;
import io.virga.contracts.compute.v1.RebootRequest;
import io.virga.contracts.compute.v1.RebuildRequest;
import io.virga.contracts.compute.v1.SnapshotRequest;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.contracts.compute.v1.VolumeResizedRequest;
import io.virga.contracts.events.v1.PowerState;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.hypervisor.sim.SimOptions;
import io.virga.platform.events.Topics;
import io.virga.platform.ids.Ids;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every action RPC of the compute contract over the node's real gRPC API, with the sim driver and a
 * real Kafka: what it answers (success, conflict naming the power state, not found) and the power-state
 * event it emits.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class ComputeActionsTest {
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @GrpcClient("self")
    ComputeServiceGrpc.ComputeServiceBlockingStub compute;

    @GrpcClient("self")
    MutinyComputeServiceGrpc.MutinyComputeServiceStub mutiny;

    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    @ConfigProperty(name = "virga.test.survivor-id")
    String survivorId;

    KafkaProbe instances;

    @BeforeEach
    void watch() {
        instances = KafkaProbe.fromNow(bootstrap, Topics.COMPUTE_INSTANCES);
    }

    @AfterEach
    void cleanUp() {
        instances.close();
        for (Guest g : compute.listGuests(ListGuestsRequest.getDefaultInstance()).getGuestsList()) {
            if (!g.getInstanceId().equals(survivorId)) {
                compute.destroy(DestroyRequest.newBuilder().setInstanceId(g.getInstanceId()).build());
            }
        }
    }

    String running() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).build());
        awaitEvent(id, PowerState.RUNNING, "");
        return id;
    }

    void awaitEvent(String id, PowerState state, String message) {
        instances.await(id, e -> powerState(e).getState() == state && powerState(e).getMessage().equals(message),
                EVENT_TIMEOUT);
    }

    static GuestActionRequest req(String id) {
        return GuestActionRequest.newBuilder().setInstanceId(id).build();
    }

    static void assertStatus(Status.Code code, String contains, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(contains), e.getStatus().getDescription());
    }

    @Test
    void stopStartAndRebootFollowThePowerTableAndEmitTheirStates() {
        String id = running();
        Guest stopped = compute.stop(StopRequest.newBuilder().setInstanceId(id).setGraceSeconds(5).build()).getGuest();
        assertEquals(PowerState.SHUTDOWN, stopped.getState());
        assertEquals("SHUTDOWN", stopped.getPowerState());
        awaitEvent(id, PowerState.SHUTDOWN, "stop");
        assertStatus(Status.Code.FAILED_PRECONDITION, "is SHUTDOWN; cannot reboot",
                () -> compute.reboot(RebootRequest.newBuilder().setInstanceId(id).build()));
        assertEquals(PowerState.RUNNING, compute.start(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.RUNNING, "start");
        Guest hard = compute.reboot(RebootRequest.newBuilder().setInstanceId(id).setType(RebootRequest.Type.HARD).build())
                .getGuest();
        assertEquals(PowerState.RUNNING, hard.getState());
        awaitEvent(id, PowerState.RUNNING, "reboot (hard)");
    }

    @Test
    void pauseAndSuspendAreRefusedWhereTheTableSaysAndEmitTheirStates() {
        String id = running();
        assertEquals(PowerState.PAUSED, compute.pause(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.PAUSED, "pause");
        assertStatus(Status.Code.FAILED_PRECONDITION, "is PAUSED; cannot start", () -> compute.start(req(id)));
        assertEquals(PowerState.RUNNING, compute.unpause(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.RUNNING, "unpause");
        assertEquals(PowerState.SUSPENDED, compute.suspend(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.SUSPENDED, "suspend");
        assertStatus(Status.Code.FAILED_PRECONDITION, "is SUSPENDED; cannot pause", () -> compute.pause(req(id)));
        assertEquals(PowerState.RUNNING, compute.resume(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.RUNNING, "resume");
    }

    @Test
    void aSnapshotStreamsTheImageWithItsFormatAndChecksum() throws Exception {
        String id = running();
        List<DataChunk> chunks = mutiny.snapshot(SnapshotRequest.newBuilder().setInstanceId(id).build())
                .collect().asList().await().atMost(EVENT_TIMEOUT);
        assertEquals(DiskFormat.DISK_FORMAT_RAW, chunks.get(0).getFormat(), "the sim's snapshot is a RAW description");
        DataChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.getLast());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (DataChunk c : chunks) {
            c.getData().writeTo(all);
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray())),
                last.getSha256());
        assertTrue(all.toString().contains("instance " + id), all.toString());
        assertEquals("RUNNING", get(id).getPowerState(), "the guest keeps its power state");
        Iterator<DataChunk> unknown = compute.snapshot(SnapshotRequest.newBuilder().setInstanceId(Ids.newId("i")).build());
        assertStatus(Status.Code.NOT_FOUND, "not found", unknown::hasNext);
    }

    @Test
    void rebuildBootsTheGuestAgainAndRefusesOtherResources() {
        String id = running();
        Guest rebuilt = compute.rebuild(RebuildRequest.newBuilder().setSpec(spawnRequest(id)).build()).getGuest();
        assertEquals(PowerState.RUNNING, rebuilt.getState());
        awaitEvent(id, PowerState.RUNNING, "rebuild");
        assertStatus(Status.Code.FAILED_PRECONDITION, "changes only its image",
                () -> compute.rebuild(RebuildRequest.newBuilder().setSpec(spawnRequest(id).setVcpus(2)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "spec: is required",
                () -> compute.rebuild(RebuildRequest.getDefaultInstance()));
    }

    @Test
    void consolesAndVolumeHotplugAnswerForTheGuest() {
        String id = running();
        List<ConsoleEndpoint> consoles = compute.getConsoles(req(id)).getConsolesList();
        assertEquals(ConsoleEndpoint.Type.SERIAL, consoles.get(0).getType());
        assertTrue(consoles.get(0).getPath().endsWith(id + ".log"), consoles.toString());
        Disk volume = Disk.newBuilder().setVolumeId("v-data").setSizeGb(5).setConnection(DiskConnection.newBuilder()
                .setPath("/var/lib/virga/volumes/v-data.raw").setFormat(DiskFormat.DISK_FORMAT_RAW)).build();
        compute.attachVolume(AttachVolumeRequest.newBuilder().setInstanceId(id).setDisk(volume).build());
        awaitEvent(id, PowerState.RUNNING, "volume v-data attached");
        compute.volumeResized(VolumeResizedRequest.newBuilder().setInstanceId(id).setVolumeId("v-data").setSizeGb(8).build());
        compute.detachVolume(DetachVolumeRequest.newBuilder().setInstanceId(id).setVolumeId("v-data").build());
        awaitEvent(id, PowerState.RUNNING, "volume v-data detached");
        assertStatus(Status.Code.FAILED_PRECONDITION, "not attached", () -> compute.volumeResized(
                VolumeResizedRequest.newBuilder().setInstanceId(id).setVolumeId("v-data").setSizeGb(9).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "disk.connection.format", () -> compute.attachVolume(
                AttachVolumeRequest.newBuilder().setInstanceId(id).setDisk(volume.toBuilder().setConnection(
                        DiskConnection.newBuilder().setPath("/v.raw"))).build()));
    }

    @Test
    void aColdMigrationExportsImportsAndBootsTheGuest() {
        String id = running();
        compute.stop(StopRequest.newBuilder().setInstanceId(id).build());
        List<DataChunk> exported = mutiny.exportDisk(req(id)).collect().asList().await().atMost(EVENT_TIMEOUT);
        // the node is its own destination here: the source's copy goes first
        compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build());
        PrepareIncomingResponse prepared = compute.prepareIncoming(PrepareIncomingRequest.newBuilder()
                .setSpec(spawnRequest(id)).setLive(false).build());
        assertTrue(prepared.getUri().startsWith("sim://host-1/"), prepared.getUri());
        assertEquals("BUILDING", get(id).getPowerState());
        DataChunk first = exported.get(0).toBuilder().setInstanceId(id).build();
        List<DataChunk> upload = new java.util.ArrayList<>(exported);
        upload.set(0, first);
        long bytes = mutiny.importDisk(Multi.createFrom().iterable(upload)).await().atMost(EVENT_TIMEOUT).getBytes();
        assertTrue(bytes > 0);
        assertEquals(PowerState.RUNNING, compute.finishIncoming(req(id)).getGuest().getState());
        awaitEvent(id, PowerState.RUNNING, "arrived by migration");
    }

    @Test
    void anImportWithABadChecksumIsRefused() {
        String id = Ids.newId("i");
        compute.prepareIncoming(PrepareIncomingRequest.newBuilder().setSpec(spawnRequest(id)).build());
        DataChunk only = DataChunk.newBuilder().setInstanceId(id).setFormat(DiskFormat.DISK_FORMAT_RAW)
                .setData(ByteString.copyFromUtf8("VIRGA-SIM-DISK 1\ninstance " + id + "\n")).setLast(true)
                .setSha256("00").build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> mutiny.importDisk(Multi.createFrom().item(only)).await().atMost(EVENT_TIMEOUT));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith("sha256: "), e.getStatus().getDescription());
    }

    @Test
    void aLiveMigrationMovesTheGuestToAnotherSimHost() {
        String id = running();
        SimHypervisor host2 = new SimHypervisor(SimOptions.builder().hostName("host-2")
                .capacity(new HostCapacity(4, 4096, 40)).build());
        var endpoint = host2.prepareIncoming(GuestSpec.builder(id).ramMb(256).build(), true);
        compute.migrateLive(MigrateLiveRequest.newBuilder().setInstanceId(id).setDestinationUri(endpoint.uri()).build());
        awaitEvent(id, PowerState.DELETED, "migrated live to " + endpoint.uri());
        assertStatus(Status.Code.NOT_FOUND, "not found", () -> get(id));
        assertEquals(io.virga.hypervisor.PowerState.RUNNING, host2.finishIncoming(id).state());
    }

    @Test
    void everyActionOnAnUnknownGuestIsNotFound() {
        String id = Ids.newId("i");
        List<Consumer<String>> calls = List.of(
                i -> compute.stop(StopRequest.newBuilder().setInstanceId(i).build()),
                i -> compute.start(req(i)),
                i -> compute.reboot(RebootRequest.newBuilder().setInstanceId(i).build()),
                i -> compute.pause(req(i)),
                i -> compute.unpause(req(i)),
                i -> compute.suspend(req(i)),
                i -> compute.resume(req(i)),
                i -> compute.rebuild(RebuildRequest.newBuilder().setSpec(spawnRequest(i)).build()),
                i -> compute.exportDisk(req(i)).hasNext(),
                i -> compute.finishIncoming(req(i)),
                i -> compute.getConsoles(req(i)),
                i -> compute.migrateLive(MigrateLiveRequest.newBuilder().setInstanceId(i).setDestinationUri("sim+tcp://127.0.0.1:1/" + i).build()),
                i -> compute.detachVolume(DetachVolumeRequest.newBuilder().setInstanceId(i).setVolumeId("v-1").build()));
        for (Consumer<String> call : calls) {
            assertStatus(Status.Code.NOT_FOUND, "not found", () -> call.accept(id));
        }
        assertStatus(Status.Code.INVALID_ARGUMENT, "instance_id", () -> compute.pause(req("not-an-id")));
    }

    Guest get(String id) {
        return compute.getGuest(GetGuestRequest.newBuilder().setInstanceId(id).build());
    }
}
