package io.virga.compute.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.compute.testing.KafkaProbe;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.sim.SimHypervisor;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic power sync (1 s in tests) with the real node and a real Kafka broker: a guest
 * that changes in the driver behind the node's back is reported, once.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class PowerSyncKafkaTest {
    /** A few sync intervals (1 s each in tests), with room for a slow shared machine. */
    static final Duration WITHIN_A_FEW_SYNCS = Duration.ofMinutes(2); // a few 1 s syncs; generous for busy machines
    /** Long enough for three more sync passes. */
    static final Duration THREE_MORE_SYNCS = Duration.ofMillis(3500);

    @GrpcClient("self")
    ComputeServiceGrpc.ComputeServiceBlockingStub compute;

    @Inject
    Hypervisor hypervisor;

    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    KafkaProbe instances;
    String id;

    @BeforeEach
    void spawnARunningGuest() {
        instances = KafkaProbe.fromNow(bootstrap, Topics.COMPUTE_INSTANCES);
        id = Ids.newId("i");
        compute.spawn(SpawnRequest.newBuilder().setInstanceId(id).setProjectId("prj-test").setName("web-" + id)
                .setVcpus(1).setRamMb(128).setKind("vm").setVirtMode("para").build());
        await(PowerState.RUNNING);
    }

    @AfterEach
    void cleanUp() {
        compute.destroy(DestroyRequest.newBuilder().setInstanceId(id).build());
        instances.close();
    }

    SimHypervisor sim() {
        return (SimHypervisor) hypervisor;
    }

    InstancePowerState await(PowerState state) {
        CloudEvent e = instances.await(id, ev -> powerState(ev).getState() == state, WITHIN_A_FEW_SYNCS).event();
        return powerState(e);
    }

    static InstancePowerState powerState(CloudEvent e) {
        return ProtoJson.parse(e.data(), InstancePowerState.newBuilder());
    }

    List<PowerState> statesAfterThreeMoreSyncs() {
        return instances.all(id, THREE_MORE_SYNCS).stream().map(e -> powerState(e).getState()).toList();
    }

    @Test
    void aGuestCrashedInTheDriverIsReportedCrashedOnce() {
        sim().crash(id);
        InstancePowerState crashed = await(PowerState.CRASHED);
        assertEquals(id, crashed.getInstanceId());
        assertEquals("observed by the power sync (last reported RUNNING)", crashed.getMessage());
        assertEquals(List.of(PowerState.RUNNING, PowerState.CRASHED), statesAfterThreeMoreSyncs(),
                "no duplicate while it stays CRASHED");
        assertEquals("CRASHED", compute.getGuest(GetGuestRequest.newBuilder().setInstanceId(id).build()).getPowerState());
    }

    @Test
    void aGuestRemovedBehindTheNodesBackIsReportedDeletedOnce() {
        assertTrue(sim().destroy(id));
        InstancePowerState deleted = await(PowerState.DELETED);
        assertEquals("no longer known to the sim driver (last reported RUNNING)", deleted.getMessage());
        assertEquals(List.of(PowerState.RUNNING, PowerState.DELETED), statesAfterThreeMoreSyncs(),
                "no duplicate while it stays gone");
    }

    @Test
    void aRunningGuestIsNotReportedAgain() {
        assertEquals(List.of(PowerState.RUNNING), statesAfterThreeMoreSyncs());
    }
}
