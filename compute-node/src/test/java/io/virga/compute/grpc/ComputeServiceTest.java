package io.virga.compute.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.compute.testing.KafkaProbe;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.Guest;
import io.virga.contracts.compute.v1.ListGuestsRequest;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.ids.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compute node over its real gRPC API, with a real Kafka broker: what the
 * node answers, and what events really reach Kafka.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class ComputeServiceTest {
    static final Duration EVENT_TIMEOUT = Duration.ofMinutes(2); // generous: busy machines

    @GrpcClient("self")
    ComputeServiceGrpc.ComputeServiceBlockingStub compute;

    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    @ConfigProperty(name = "virga.test.survivor-id")
    String survivorId;

    KafkaProbe instances;

    @BeforeEach
    void watchInstanceEvents() {
        instances = KafkaProbe.fromNow(bootstrap, Topics.COMPUTE_INSTANCES);
    }

    @AfterEach
    void destroyWhatTheTestMade() {
        instances.close();
        for (Guest g : compute.listGuests(ListGuestsRequest.getDefaultInstance()).getGuestsList()) {
            if (!g.getInstanceId().equals(survivorId)) {
                compute.destroy(DestroyRequest.newBuilder().setInstanceId(g.getInstanceId()).build());
            }
        }
    }

    static SpawnRequest.Builder spawnRequest(String id) {
        return SpawnRequest.newBuilder()
                .setInstanceId(id)
                .setProjectId("prj-test")
                .setName("web-" + id)
                .setVcpus(1)
                .setRamMb(256)
                .setKind("vm")
                .setVirtMode("para")
                .addInterfaces(NetworkInterface.newBuilder().setPortId("p-" + id).setNetworkId("n-1")
                        .setMacAddress("52:54:00:12:34:56").setIpAddress("10.0.0.7").setVni(4097))
                .addDisks(Disk.newBuilder().setVolumeId("v-" + id).setSizeGb(10).setBoot(true).setImageId("img-1"))
                .setUserData("#cloud-config\n");
    }

    InstancePowerState awaitState(String id, PowerState state) {
        CloudEvent event = instances.await(id, e -> powerState(e).getState() == state, EVENT_TIMEOUT).event();
        return powerState(event);
    }

    static InstancePowerState powerState(CloudEvent e) {
        return ProtoJson.parse(e.data(), InstancePowerState.newBuilder());
    }

    Guest get(String id) {
        return compute.getGuest(GetGuestRequest.newBuilder().setInstanceId(id).build());
    }

    @Test
    void spawnIsAcceptedAtOnceAndRunningArrivesOnKafka() {
        String id = Ids.newId("i");
        SpawnResponse accepted = compute.spawn(spawnRequest(id).build());
        assertTrue(accepted.getAccepted());
        assertTrue(Ids.looksLike("h", accepted.getHostId()), accepted.getHostId());

        KafkaProbe.Seen seen = instances.await(id, e -> powerState(e).getState() == PowerState.RUNNING, EVENT_TIMEOUT);
        assertEquals(id, seen.key(), "keyed by instance id");
        assertEquals(Topics.TYPE_POWER_STATE, seen.event().type());
        assertEquals(id, seen.event().subject());
        assertEquals("/virga/compute-node/" + accepted.getHostId(), seen.event().source());
        InstancePowerState state = powerState(seen.event());
        assertEquals(id, state.getInstanceId());
        assertEquals(accepted.getHostId(), state.getHostId());
        assertEquals("", state.getMessage());
        Instant.parse(state.getObservedAt());

        Guest guest = get(id);
        assertEquals("RUNNING", guest.getPowerState());
        assertEquals(1, guest.getVcpus());
        assertEquals(256, guest.getRamMb());
        Instant.parse(guest.getStartedAt());
    }

    @Test
    void aGuestBeingBuiltShowsAsBuilding() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).build());
        Guest building = get(id);
        assertEquals("BUILDING", building.getPowerState(), "boot latency is 50 ms in tests");
        assertEquals("", building.getStartedAt());
        awaitState(id, PowerState.RUNNING);
    }

    @Test
    void spawnOfAKnownInstanceIsAcceptedWithoutASecondGuest() {
        String id = Ids.newId("i");
        String hostId = compute.spawn(spawnRequest(id).build()).getHostId();
        assertTrue(compute.spawn(spawnRequest(id).build()).getAccepted(), "while building");
        awaitState(id, PowerState.RUNNING);
        String startedAt = get(id).getStartedAt();
        SpawnResponse again = compute.spawn(spawnRequest(id).build());
        assertTrue(again.getAccepted(), "once running");
        assertEquals(hostId, again.getHostId());

        List<CloudEvent> events = instances.all(id, Duration.ofMillis(500));
        assertEquals(1, events.size(), "one guest, one RUNNING event: " + events);
        assertEquals(startedAt, get(id).getStartedAt(), "not booted again");
        assertEquals(1, compute.listGuests(ListGuestsRequest.getDefaultInstance()).getGuestsList().stream()
                .filter(g -> g.getInstanceId().equals(id)).count());
    }

    @Test
    void spawnOfAKnownInstanceWithOtherResourcesIsAlreadyExists() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> compute.spawn(spawnRequest(id).setVcpus(2).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("already exists on this host with 1 vCPUs"),
                e.getStatus().getDescription());
        awaitState(id, PowerState.RUNNING);
        assertEquals(1, get(id).getVcpus());
    }

    @Test
    void spawnBeyondTheHostsCapacityFailsWithAReadableMessageAndLeavesNothing() {
        String id = Ids.newId("i");
        assertTrue(compute.spawn(spawnRequest(id).setRamMb(8192).build()).getAccepted());
        InstancePowerState failed = awaitState(id, PowerState.FAILED);
        assertTrue(failed.getMessage().matches("host-1 has \\d+ MB RAM free, guest needs 8192 MB"), failed.getMessage());
        assertGone(id);
    }

    @Test
    void anInjectedBootFailureFailsTheSpawnAndLeavesNothing() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).setName("doomed-web").build());
        InstancePowerState failed = awaitState(id, PowerState.FAILED);
        assertEquals("simulated boot failure of guest 'doomed-web' on host-1 (name matches /^doomed-/)",
                failed.getMessage());
        assertGone(id);
        compute.spawn(spawnRequest(id).setName("web").build());
        awaitState(id, PowerState.RUNNING);
    }

    @Test
    void destroyRemovesTheGuestEmitsDeletedAndIsIdempotent() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).build());
        awaitState(id, PowerState.RUNNING);
        assertTrue(compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build()).getExisted());
        InstancePowerState deleted = awaitState(id, PowerState.DELETED);
        assertEquals(id, deleted.getInstanceId());
        assertGone(id);
        assertFalse(compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build()).getExisted());
        assertEquals(1, instances.all(id, Duration.ofMillis(500)).stream()
                .filter(e -> powerState(e).getState() == PowerState.DELETED).count(), "one DELETED only");
    }

    @Test
    void destroyOfAnUnknownInstanceAnswersExistedFalse() {
        String id = Ids.newId("i");
        assertFalse(compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build()).getExisted());
        assertEquals(List.of(), instances.all(id, Duration.ofMillis(300)), "nothing to report");
    }

    @Test
    void destroyDuringTheBuildWaitsForItThenRemovesTheGuest() {
        String id = Ids.newId("i");
        compute.spawn(spawnRequest(id).build());
        assertTrue(compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build()).getExisted());
        assertGone(id);
        awaitState(id, PowerState.DELETED); // events travel through Kafka after the call returns
        List<PowerState> states = instances.all(id, Duration.ofMillis(500)).stream()
                .map(e -> powerState(e).getState()).toList();
        assertEquals(List.of(PowerState.RUNNING, PowerState.DELETED), states, "in order, on one key");
    }

    @Test
    void concurrentSpawnsOfOneInstanceMakeOneGuest() {
        String id = Ids.newId("i");
        List<CompletableFuture<SpawnResponse>> calls = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> compute.spawn(spawnRequest(id).build())))
                .toList();
        calls.forEach(c -> assertTrue(c.join().getAccepted()));
        awaitState(id, PowerState.RUNNING);
        assertEquals(1, instances.all(id, Duration.ofMillis(500)).size());
    }

    @Test
    void theSurvivorOfTheLastRunIsReadoptedAndReReported() {
        Guest survivor = get(survivorId);
        assertEquals("RUNNING", survivor.getPowerState());
        assertEquals(64, survivor.getRamMb());
        try (KafkaProbe all = KafkaProbe.fromBeginning(bootstrap, Topics.COMPUTE_INSTANCES)) {
            CloudEvent event = all.await(survivorId, e -> true, EVENT_TIMEOUT).event();
            assertEquals(PowerState.RUNNING, powerState(event).getState());
        }
    }

    @Test
    void getGuestOfAnUnknownInstanceIsNotFound() {
        String id = Ids.newId("i");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(id));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("guest " + id + " not found", e.getStatus().getDescription());
    }

    @Test
    void listGuestsShowsEveryGuestOfTheHost() {
        String a = Ids.newId("i");
        String b = Ids.newId("i");
        compute.spawn(spawnRequest(a).build());
        compute.spawn(spawnRequest(b).build());
        awaitState(a, PowerState.RUNNING);
        awaitState(b, PowerState.RUNNING);
        List<String> ids = compute.listGuests(ListGuestsRequest.getDefaultInstance()).getGuestsList().stream()
                .map(Guest::getInstanceId).toList();
        assertTrue(ids.containsAll(List.of(a, b, survivorId)), ids.toString());
    }

    void assertGone(String id) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(id));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }
}
