package io.virga.compute.host;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.compute.testing.KafkaProbe;
import io.virga.compute.testing.TempStateDirResource;
import io.virga.contracts.events.v1.HostReport;
import io.virga.devstack.Ports;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node tells the cloud who it is, periodically; readiness and metrics are served. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_compute"))
@QuarkusTestResource(TempStateDirResource.class)
class HostReportTest {
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    @jakarta.inject.Inject
    HostIdentity host;

    /** The port the gRPC server actually bound (test-port 0 in application.properties). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void hostReportsArriveEveryHeartbeatWithTheConfiguredCapacity() {
        try (KafkaProbe hosts = KafkaProbe.fromNow(bootstrap, Topics.COMPUTE_HOSTS)) {
            // a report, then a later one: the heartbeat goes on (1 s in tests; the budget is for busy machines)
            CloudEvent firstEvent = hosts.await(host.hostId(), e -> true, Duration.ofMinutes(2)).event();
            Instant first = reportedAt(firstEvent);
            CloudEvent event = hosts.await(host.hostId(), e -> reportedAt(e).isAfter(first), Duration.ofMinutes(2))
                    .event();
            assertEquals(Topics.TYPE_HOST_REPORT, event.type());
            assertEquals(host.hostId(), event.subject());
            HostReport r = ProtoJson.parse(event.data(), HostReport.newBuilder());
            assertEquals(host.hostId(), r.getHostId());
            assertEquals("host-1", r.getHostName());
            assertEquals("sim", r.getHypervisorType());
            assertEquals("127.0.0.1:" + grpcPort, r.getComputeEndpoint());
            assertTrue(grpcPort > 0 && Ports.isOpen(grpcPort, 2000), "the advertised gRPC port is bound: " + grpcPort);
            assertEquals(4, r.getVcpus());
            assertEquals(4096, r.getRamMb());
            assertEquals(40, r.getDiskGb());
            assertTrue(r.getTraitsList().containsAll(List.of("COMPUTE_SIM", "COMPUTE_POWER_CONTROL", "VIRT_MODE_PARA")),
                    r.getTraitsList().toString());
            assertTrue(r.getRunningGuests() >= 1, "the survivor runs");
        }
    }

    private static Instant reportedAt(CloudEvent e) {
        return Instant.parse(ProtoJson.<HostReport>parse(e.data(), HostReport.newBuilder()).getReportedAt());
    }

    @Test
    void readinessReportsTheDriverAndTheKafkaProducer() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", hasItems("hypervisor", "kafka-producer"));
    }

    @Test
    void metricsShowGuestsAndSpawns() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("virga_compute_guests_running"))
                .body(containsString("virga_compute_spawns_total"))
                .body(containsString("virga_compute_spawn_duration_seconds"))
                .body(containsString("virga_compute_power_sync_changes_total"));
    }
}
