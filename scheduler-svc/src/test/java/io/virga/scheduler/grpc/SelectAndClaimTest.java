package io.virga.scheduler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.events.v1.AllocationChanged;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.HostCandidate;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.Unschedulable;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.testing.Infra;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SelectAndClaim / ReleaseClaim through a real gRPC client, on hosts reported over real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class SelectAndClaimTest {
    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;
    @TestHTTPResource("/q/metrics")
    URL metrics;

    private Infra infra;

    @BeforeEach
    void clean() {
        infra = new Infra(dataSource, bootstrap);
        infra.clean();
    }

    static SelectRequest.Builder select(String consumer, int vcpus, long ramMb, long diskGb) {
        return SelectRequest.newBuilder()
                .setConsumerId(consumer)
                .setProjectId("pr-test")
                .setResources(Resources.newBuilder().setVcpus(vcpus).setRamMb(ramMb).setDiskGb(diskGb));
    }

    @Test
    void claimsOnTheHostWithTheMostFreeRamAndListsAlternates() {
        String small = Ids.newId("h");
        String big = Ids.newId("h");
        String medium = Ids.newId("h");
        infra.reportAndAwait(Infra.report(small, "host-1", 8, 8192, 100).build(),
                Infra.report(big, "host-2", 8, 32768, 100).build(),
                Infra.report(medium, "host-3", 8, 16384, 100).build());
        String consumer = Ids.newId("i");

        SelectResponse r = scheduler.selectAndClaim(select(consumer, 2, 4096, 20).setAlternates(5).build());

        Claim claim = r.getClaim();
        assertEquals(consumer, claim.getConsumerId());
        assertEquals(big, claim.getHostId());
        assertEquals("host-2", claim.getHostName());
        assertTrue(claim.getComputeEndpoint().startsWith("127.0.0.1:"));
        assertEquals(Resources.newBuilder().setVcpus(2).setRamMb(4096).setDiskGb(20).build(), claim.getResources());
        assertEquals(List.of("host-3", "host-1"), r.getAlternatesList().stream().map(HostCandidate::getHostName).toList());
        var host = scheduler.getHost(GetHostRequest.newBuilder().setId(big).build());
        assertEquals(Resources.newBuilder().setVcpus(2).setRamMb(4096).setDiskGb(20).build(), host.getUsed());
        assertEquals(1, host.getInstances());
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations WHERE consumer_id = ? AND host_id = ?"
                + " AND project_id = 'pr-test'", consumer, big));

        List<CloudEvent> events = infra.awaitEvents(Topics.SCHEDULER_ALLOCATIONS, Duration.ofMinutes(2),
                seen -> seen.stream().anyMatch(e -> e.subject().equals(consumer)));
        CloudEvent claimed = events.stream().filter(e -> e.subject().equals(consumer)).findFirst().orElseThrow();
        assertEquals(Topics.TYPE_ALLOCATION_CLAIMED, claimed.type());
        AllocationChanged payload = ProtoJson.parse(claimed.data(), AllocationChanged.newBuilder());
        assertEquals(big, payload.getHostId());
        assertEquals(4096, payload.getRamMb());
    }

    @Test
    void equalHostsShareTheLoad() {
        List<String> ids = List.of(Ids.newId("h"), Ids.newId("h"), Ids.newId("h"));
        infra.reportAndAwait(Infra.report(ids.get(0), "host-1", 16, 16384, 500).build(),
                Infra.report(ids.get(1), "host-2", 16, 16384, 500).build(),
                Infra.report(ids.get(2), "host-3", 16, 16384, 500).build());
        Map<String, Integer> perHost = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String host = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 2048, 10).build()).getClaim().getHostName();
            perHost.merge(host, 1, Integer::sum);
            order.add(host);
        }
        assertEquals(Map.of("host-1", 3, "host-2", 3, "host-3", 3), perHost);
        assertEquals(List.of("host-1", "host-2", "host-3"), order.subList(0, 3), "ties broken by name");
    }

    @Test
    void aRetriedClaimReturnsTheSameClaimAndCountsUsageOnce() {
        String id = Ids.newId("h");
        String other = Ids.newId("h");
        infra.reportAndAwait(Infra.report(id, "host-1", 8, 16384, 100).build(),
                Infra.report(other, "host-2", 8, 8192, 100).build());
        String consumer = Ids.newId("i");
        SelectResponse first = scheduler.selectAndClaim(select(consumer, 2, 4096, 10).build());
        SelectResponse again = scheduler.selectAndClaim(select(consumer, 2, 4096, 10).setAlternates(1).build());

        assertEquals(first.getClaim(), again.getClaim());
        assertEquals(List.of("host-2"), again.getAlternatesList().stream().map(HostCandidate::getHostName).toList());
        assertEquals(4096, infra.used(id, "MEMORY_MB"));
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations"));
    }

    @Test
    void releaseFreesCapacityAndIsIdempotent() {
        String id = Ids.newId("h");
        infra.reportAndAwait(Infra.report(id, "only", 4, 4096, 100).build());
        String a = Ids.newId("i");
        String b = Ids.newId("i");
        assertTrue(scheduler.selectAndClaim(select(a, 2, 4096, 50).build()).hasClaim());
        SelectResponse full = scheduler.selectAndClaim(select(b, 2, 4096, 50).build());
        assertEquals("no host has 4 GiB free RAM (most free: 0 MiB on only)", full.getUnschedulable().getMessage());

        ReleaseResponse released = scheduler.releaseClaim(ReleaseRequest.newBuilder().setConsumerId(a).build());
        assertTrue(released.getReleased());
        assertEquals(id, released.getHostId());
        assertEquals(0, infra.queryLong("SELECT sum(used) FROM inventories WHERE host_id = ?", id));
        ReleaseResponse again = scheduler.releaseClaim(ReleaseRequest.newBuilder().setConsumerId(a).build());
        assertFalse(again.getReleased());
        assertEquals("", again.getHostId());

        assertEquals(id, scheduler.selectAndClaim(select(b, 2, 4096, 50).build()).getClaim().getHostId());
        infra.awaitEvents(Topics.SCHEDULER_ALLOCATIONS, Duration.ofMinutes(2), seen -> seen.stream()
                .anyMatch(e -> e.subject().equals(a) && e.type().equals(Topics.TYPE_ALLOCATION_RELEASED)));
    }

    @Test
    void cpuOvercommitFollowsTheAllocationRatio() {
        String id = Ids.newId("h");
        infra.reportAndAwait(Infra.report(id, "two-cores", 2, 65536, 1000).build());
        for (int i = 0; i < 8; i++) {   // 2 vCPUs × 4.0
            assertTrue(scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).build()).hasClaim(), "claim " + i);
        }
        Unschedulable u = scheduler.selectAndClaim(select(Ids.newId("i"), 1, 512, 1).build()).getUnschedulable();
        assertEquals("no host has 1 free vCPU (most free: 0 vCPUs on two-cores)", u.getMessage());
        assertEquals(List.of(FilterRejection.newBuilder().setFilter("ComputeFilter").setHostsRejected(1)
                .setReason("needs 1 vCPU, most free is 0").build()), u.getRejectionsList());
        assertEquals(8, infra.used(id, "VCPU"));
    }

    @Test
    void invalidRequestsAreRejectedAndChangeNothing() {
        infra.reportAndAwait(Infra.report(Ids.newId("h"), "host-1", 8, 8192, 100).build());
        Map<SelectRequest, String> cases = Map.of(
                select("", 1, 512, 1).build(), "consumer_id: is required",
                select("i-1", 1, 512, 1).clearProjectId().build(), "project_id: is required",
                select("i-1", 1, 512, 1).clearResources().build(), "resources: is required",
                select("i-1", 0, 512, 1).build(), "resources.vcpus: must be between 1 and 4096",
                select("i-1", 1, 0, 1).build(), "resources.ram_mb: must be between 1 and 4294967296",
                select("i-1", 1, 512, -1).build(), "resources.disk_gb: must be between 0 and 4294967296",
                select("i-1", 1, 512, 1).setHypervisorType("QEMU!").build(),
                "hypervisor_type: must be empty (any) or a lower-case name such as sim, qemu, runc",
                select("i-1", 1, 512, 1).addRequiredTraits("").build(),
                "required_traits[0]: must be trait names of letters, digits and _ : . -",
                select("i 1", 1, 512, 1).build(),
                "consumer_id: must be an id of at most 128 letters, digits and . _ : -",
                select("i-1", 1, 512, 1).setAlternates(17).build(), "alternates: must be at most 16");
        cases.forEach((request, message) -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> scheduler.selectAndClaim(request));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), message);
            assertEquals(message, e.getStatus().getDescription());
        });
        StatusRuntimeException release = assertThrows(StatusRuntimeException.class,
                () -> scheduler.releaseClaim(ReleaseRequest.getDefaultInstance()));
        assertEquals("consumer_id: is required", release.getStatus().getDescription());
        assertEquals(0, infra.queryLong("SELECT count(*) FROM allocations"));
        assertEquals(0, infra.queryLong("SELECT coalesce(sum(used), 0) FROM inventories WHERE resource_class = 'VCPU'"));
    }

    @Test
    void metricsCountClaimsByOutcomeAndTimeSelection() throws Exception {
        infra.reportAndAwait(Infra.report(Ids.newId("h"), "host-1", 1, 1024, 10).build());
        scheduler.selectAndClaim(select(Ids.newId("i"), 1, 1024, 1).build());
        scheduler.selectAndClaim(select(Ids.newId("i"), 1, 1024, 1).build());
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(text.contains("virga_scheduler_claims_succeeded_total{kind=\"new\"}"), text);
        assertTrue(text.contains("virga_scheduler_claims_failed_total{reason=\"RamFilter\"}"), text);
        assertTrue(text.contains("virga_scheduler_select_seconds_count"), text);
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(metrics.toString().replace("/q/metrics", "/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
    }
}
