package io.virga.compute.grpc;

import static io.virga.compute.grpc.ComputeServiceTest.spawnRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.AttachVolumeRequest;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.MigrateLiveRequest;
import io.virga.contracts.compute.v1.PrepareIncomingRequest;
import io.virga.contracts.compute.v1.RebootRequest;
import io.virga.contracts.compute.v1.RebuildRequest;
import io.virga.contracts.compute.v1.SnapshotRequest;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host whose driver lacks every optional capability answers UNIMPLEMENTED naming the trait, changing nothing. */
@QuarkusTest
@TestProfile(UnimplementedActionsTest.BareDriver.class)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class UnimplementedActionsTest {

    /** The node runs driver {@code bare-sim}. */
    public static class BareDriver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("virga.compute.driver", "bare-sim");
        }
    }

    @GrpcClient("self")
    ComputeServiceGrpc.ComputeServiceBlockingStub compute;

    static void assertLacks(String trait, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("host host-1 (driver sim) lacks " + trait, e.getStatus().getDescription());
    }

    @Test
    void everyCapabilityRpcNamesTheTraitTheHostLacks() {
        String id = Ids.newId("i");
        GuestActionRequest req = GuestActionRequest.newBuilder().setInstanceId(id).build();
        assertLacks("COMPUTE_POWER_CONTROL", () -> compute.stop(StopRequest.newBuilder().setInstanceId(id).build()));
        assertLacks("COMPUTE_POWER_CONTROL", () -> compute.start(req));
        assertLacks("COMPUTE_POWER_CONTROL", () -> compute.reboot(RebootRequest.newBuilder().setInstanceId(id).build()));
        assertLacks("COMPUTE_PAUSE", () -> compute.pause(req));
        assertLacks("COMPUTE_PAUSE", () -> compute.unpause(req));
        assertLacks("COMPUTE_SUSPEND", () -> compute.suspend(req));
        assertLacks("COMPUTE_SUSPEND", () -> compute.resume(req));
        assertLacks("COMPUTE_SNAPSHOT", () -> compute.snapshot(SnapshotRequest.newBuilder().setInstanceId(id).build()).hasNext());
        assertLacks("COMPUTE_REBUILD", () -> compute.rebuild(RebuildRequest.newBuilder().setSpec(spawnRequest(id)).build()));
        assertLacks("COMPUTE_MIGRATE", () -> compute.prepareIncoming(PrepareIncomingRequest.newBuilder()
                .setSpec(spawnRequest(id)).build()));
        assertLacks("COMPUTE_LIVE_MIGRATE", () -> compute.prepareIncoming(PrepareIncomingRequest.newBuilder()
                .setSpec(spawnRequest(id)).setLive(true).build()));
        assertLacks("COMPUTE_LIVE_MIGRATE", () -> compute.migrateLive(MigrateLiveRequest.newBuilder().setInstanceId(id)
                .setDestinationUri("sim+tcp://127.0.0.1:1/" + id).build()));
        assertLacks("COMPUTE_MIGRATE", () -> compute.exportDisk(req).hasNext());
        assertLacks("COMPUTE_MIGRATE", () -> compute.finishIncoming(req));
        assertLacks("COMPUTE_CONSOLE", () -> compute.getConsoles(req));
        assertLacks("COMPUTE_VOLUME_HOTPLUG", () -> compute.attachVolume(AttachVolumeRequest.newBuilder().setInstanceId(id)
                .setDisk(Disk.newBuilder().setVolumeId("v-1").setSizeGb(1)).build()));
    }
}
