package io.virga.scheduler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.Unschedulable;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.testing.Infra;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** "No host fits" is an answer that names the binding constraint, over the real gRPC server. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class UnschedulableTest {
    enum Hosts { LIVE, STALE, NONE }

    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    static Stream<Arguments> cases() {
        BiFunction<SelectRequest.Builder, List<String>, SelectRequest.Builder> same = (b, ids) -> b;
        return Stream.of(
                Arguments.of("RAM too big", Hosts.LIVE,
                        edit((b, ids) -> b.setResources(b.getResources().toBuilder().setRamMb(65536))),
                        "RamFilter", "no host has 64 GiB free RAM (most free: 16 GiB on host-1)"),
                Arguments.of("too many vCPUs", Hosts.LIVE,
                        edit((b, ids) -> b.setResources(b.getResources().toBuilder().setVcpus(40))),
                        "ComputeFilter", "no host has 40 free vCPUs (most free: 32 vCPUs on host-1)"),
                Arguments.of("disk too big", Hosts.LIVE,
                        edit((b, ids) -> b.setResources(b.getResources().toBuilder().setDiskGb(201))),
                        "DiskFilter", "no host has 201 GB free disk (most free: 200 GB on host-1)"),
                Arguments.of("hypervisor type", Hosts.LIVE, edit((b, ids) -> b.setHypervisorType("qemu")),
                        "HypervisorTypeFilter", "no host runs hypervisor type qemu (available: runc, sim)"),
                Arguments.of("required trait", Hosts.LIVE, edit((b, ids) -> b.addRequiredTraits("CUSTOM_GPU")),
                        "TraitsFilter", "no host has the required traits CUSTOM_GPU (TraitsFilter rejected 2 hosts: missing CUSTOM_GPU on 2 hosts)"),
                Arguments.of("all hosts excluded", Hosts.LIVE, edit((b, ids) -> b.addAllExcludedHosts(ids)),
                        "ExcludedHostsFilter",
                        "no host left to try: all 2 remaining hosts are excluded by the request (already failed it)"),
                Arguments.of("no hosts up", Hosts.STALE, same, "LivenessFilter",
                        "no compute hosts are up (2 hosts without a heartbeat within 30s)"),
                Arguments.of("no hosts at all", Hosts.NONE, same, "",
                        "no compute hosts are up (no host has reported yet)"));
    }

    private static BiFunction<SelectRequest.Builder, List<String>, SelectRequest.Builder> edit(
            BiFunction<SelectRequest.Builder, List<String>, SelectRequest.Builder> f) {
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unschedulableNamesTheBindingConstraint(String scenario, Hosts hosts,
                                                 BiFunction<SelectRequest.Builder, List<String>, SelectRequest.Builder> edit,
                                                 String bindingFilter, String message) {
        Infra infra = new Infra(dataSource, bootstrap);
        infra.clean();
        List<String> ids = List.of(Ids.newId("h"), Ids.newId("h"));
        if (hosts != Hosts.NONE) {
            String at = hosts == Hosts.LIVE ? Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()
                    : Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS).toString();
            infra.reportAndAwait(
                    Infra.report(ids.get(0), "host-1", 8, 16384, 200).addTraits("CUSTOM_SSD").setReportedAt(at).build(),
                    Infra.report(ids.get(1), "host-2", 4, 8192, 100).setHypervisorType("runc").setReportedAt(at)
                            .build());
        }
        SelectRequest.Builder request = SelectAndClaimTest.select(Ids.newId("i"), 1, 512, 1);
        SelectResponse r = scheduler.selectAndClaim(edit.apply(request, ids).build());

        assertTrue(r.hasUnschedulable(), scenario + ": " + r);
        Unschedulable u = r.getUnschedulable();
        assertEquals(message, u.getMessage());
        assertEquals(hosts == Hosts.NONE ? 0 : 2, u.getHostsConsidered());
        List<FilterRejection> rejections = u.getRejectionsList();
        assertEquals(u.getHostsConsidered(), rejections.stream().mapToInt(FilterRejection::getHostsRejected).sum());
        assertEquals(bindingFilter, rejections.isEmpty() ? "" : rejections.get(rejections.size() - 1).getFilter());
        rejections.forEach(rej -> assertTrue(!rej.getReason().isBlank(), rej.toString()));
        assertEquals(0, infra.queryLong("SELECT count(*) FROM allocations"));
    }
}
