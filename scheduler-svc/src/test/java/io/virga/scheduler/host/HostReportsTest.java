package io.virga.scheduler.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.testing.Infra;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host inventory from real HostReport events on Kafka, and ListHosts / GetHost. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class HostReportsTest {
    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    private Infra infra;

    @BeforeEach
    void clean() {
        infra = new Infra(dataSource, bootstrap);
        infra.clean();
    }

    @Test
    void hostsAppearAfterReportsAreProducedToKafka() {
        String h1 = Ids.newId("h");
        String h2 = Ids.newId("h");
        infra.reportAndAwait(
                Infra.report(h1, "node-a", 8, 16384, 200).addTraits("HW_CPU_X86_AVX2").addTraits("CUSTOM_SSD").build(),
                Infra.report(h2, "node-b", 4, 8192, 100).setHypervisorType("qemu").build());

        List<Host> hosts = scheduler.listHosts(ListHostsRequest.getDefaultInstance()).getHostsList();
        assertEquals(List.of("node-a", "node-b"), hosts.stream().map(Host::getName).toList());
        Host a = hosts.get(0);
        assertEquals(h1, a.getId());
        assertEquals("sim", a.getHypervisorType());
        assertEquals("UP", a.getStatus());
        assertTrue(a.getEnabled());
        assertEquals(Resources.newBuilder().setVcpus(8).setRamMb(16384).setDiskGb(200).build(), a.getTotal());
        assertEquals(Resources.getDefaultInstance(), a.getUsed());
        assertEquals(4.0, a.getCpuAllocationRatio());
        assertEquals(1.0, a.getRamAllocationRatio());
        assertEquals(List.of("CUSTOM_SSD", "HW_CPU_X86_AVX2"), a.getTraitsList());
        assertEquals(0, a.getInstances());
        assertTrue(a.getComputeEndpoint().startsWith("127.0.0.1:"));
        assertEquals("qemu", scheduler.getHost(GetHostRequest.newBuilder().setId(h2).build()).getHypervisorType());
    }

    @Test
    void aNewerReportUpdatesTheHostAndAnOlderOneIsIgnored() {
        String id = Ids.newId("h");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        infra.reportAndAwait(Infra.report(id, "node-a", 4, 4096, 50).setReportedAt(t0.toString()).build());
        infra.reportAndAwait(Infra.report(id, "node-a", 16, 65536, 500).addTraits("CUSTOM_GPU")
                .setReportedAt(t0.plusMillis(10).toString()).build());
        // a delayed, older report must not roll totals back
        infra.reportAndAwait(Infra.report(id, "node-a", 1, 1024, 1).setReportedAt(t0.minusSeconds(5).toString())
                .build());

        Host h = scheduler.getHost(GetHostRequest.newBuilder().setId(id).build());
        assertEquals(16, h.getTotal().getVcpus());
        assertEquals(65536, h.getTotal().getRamMb());
        assertEquals(List.of("CUSTOM_GPU"), h.getTraitsList());
        assertEquals(t0.plusMillis(10), Instant.parse(h.getLastHeartbeatAt()));
    }

    @Test
    void staleHeartbeatMeansDownAndTheHostIsNeverChosen() {
        String stale = Ids.newId("h");
        infra.reportAndAwait(Infra.report(stale, "stale", 64, 262144, 2000)
                .setReportedAt(Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS).toString()).build());

        assertEquals("DOWN", scheduler.getHost(GetHostRequest.newBuilder().setId(stale).build()).getStatus());
        SelectResponse r = scheduler.selectAndClaim(select(Ids.newId("i")));
        assertTrue(r.hasUnschedulable());
        assertTrue(r.getUnschedulable().getMessage().startsWith("no compute hosts are up"),
                r.getUnschedulable().getMessage());

        String live = Ids.newId("h");
        infra.reportAndAwait(Infra.report(live, "small-but-live", 2, 2048, 20).build());
        SelectResponse placed = scheduler.selectAndClaim(select(Ids.newId("i")));
        assertEquals(live, placed.getClaim().getHostId());
    }

    @Test
    void totalsReportedBelowUsageAreStoredAndLeaveNoRoom() {
        String id = Ids.newId("h");
        infra.reportAndAwait(Infra.report(id, "shrinking", 4, 8192, 100).build());
        assertTrue(scheduler.selectAndClaim(select(Ids.newId("i")).toBuilder()
                .setResources(Resources.newBuilder().setVcpus(2).setRamMb(6144).setDiskGb(10)).build()).hasClaim());

        infra.reportAndAwait(Infra.report(id, "shrinking", 4, 4096, 100).build());
        Host h = scheduler.getHost(GetHostRequest.newBuilder().setId(id).build());
        assertEquals(4096, h.getTotal().getRamMb());
        assertEquals(6144, h.getUsed().getRamMb());
        assertEquals(1, h.getInstances());
        SelectResponse r = scheduler.selectAndClaim(select(Ids.newId("i")));
        assertEquals("no host has 512 MiB free RAM (most free: 0 MiB on shrinking)",
                r.getUnschedulable().getMessage());
    }

    @Test
    void getHostOfAnUnknownIdIsNotFoundAndAnEmptyIdIsInvalid() {
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> scheduler.getHost(GetHostRequest.newBuilder().setId("h-doesnotexist").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        assertEquals("host h-doesnotexist not found", missing.getStatus().getDescription());
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                () -> scheduler.getHost(GetHostRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
        assertEquals("id: is required", empty.getStatus().getDescription());
    }

    private static SelectRequest select(String consumer) {
        return SelectRequest.newBuilder()
                .setConsumerId(consumer)
                .setProjectId("pr-test")
                .setResources(Resources.newBuilder().setVcpus(1).setRamMb(512).setDiskGb(1))
                .build();
    }
}
