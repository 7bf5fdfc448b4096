package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.count;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.network;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.newRequestId;
import static io.virga.network.testing.Calls.port;
import static io.virga.network.testing.Calls.snapshot;
import static io.virga.network.testing.Calls.subnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.devstack.testing.InfraTestResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class IpamAllocationTest {

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource dataSource;

    private String ip(String project, String networkId) {
        return port(stub, project, networkId, "").getIpAddress();
    }

    private Port fixed(String project, String networkId, String fixedIp) {
        return call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(project).setNetworkId(networkId)
                .setRequestId(newRequestId()).setFixedIp(fixedIp).build());
    }

    @Test
    void allocatesTheLowestFreeAddressAndReusesFreedOnes() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.40.0.0/24", false);
        Port p2 = port(stub, project, n.getId(), "");
        Port p3 = port(stub, project, n.getId(), "");
        Port p4 = port(stub, project, n.getId(), "");
        assertEquals(List.of("10.40.0.2", "10.40.0.3", "10.40.0.4"),
                List.of(p2.getIpAddress(), p3.getIpAddress(), p4.getIpAddress()));

        assertEquals(1, call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(project)
                .setId(p3.getId()).build()).getDeleted());
        assertEquals("10.40.0.3", ip(project, n.getId()), "the freed address is the lowest free one again");
        assertEquals("10.40.0.5", ip(project, n.getId()));
    }

    @Test
    void skipsAGatewayInTheMiddleOfTheRange() {
        String project = newProject();
        Network n = network(stub, project, "mid-gw", false);
        subnet(stub, project, n.getId(), "10.41.0.0/29", "10.41.0.3");
        List<String> got = IntStream.range(0, 5).mapToObj(i -> ip(project, n.getId())).toList();
        assertEquals(List.of("10.41.0.1", "10.41.0.2", "10.41.0.4", "10.41.0.5", "10.41.0.6"), got);
    }

    @Test
    void a29HasFiveAddressesThenResourceExhausted() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.42.0.0/29", false);
        List<String> got = IntStream.range(0, 5).mapToObj(i -> ip(project, n.getId())).toList();
        assertEquals(List.of("10.42.0.2", "10.42.0.3", "10.42.0.4", "10.42.0.5", "10.42.0.6"), got);

        String before = snapshot(dataSource);
        StatusRuntimeException e = fails(Status.Code.RESOURCE_EXHAUSTED, () -> ip(project, n.getId()));
        assertTrue(e.getStatus().getDescription().matches("subnet s-[0-9a-z]{12} \\(10\\.42\\.0\\.0/29\\) has no free address"),
                e.getStatus().getDescription());
        assertEquals(before, snapshot(dataSource), "a refused CreatePort changes nothing");
    }

    @Test
    void fallsOverToTheNextSubnetWhenTheFirstIsFull() {
        String project = newProject();
        Network n = network(stub, project, "two-subnets", false);
        subnet(stub, project, n.getId(), "10.43.0.0/30", "");
        subnet(stub, project, n.getId(), "10.43.1.0/30", "");
        assertEquals("10.43.0.2", ip(project, n.getId()));
        assertEquals("10.43.1.2", ip(project, n.getId()));
        StatusRuntimeException e = fails(Status.Code.RESOURCE_EXHAUSTED, () -> ip(project, n.getId()));
        assertTrue(e.getStatus().getDescription().contains("(10.43.0.0/30) has no free address; subnet s-"),
                e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().endsWith("(10.43.1.0/30) has no free address"));
    }

    @Test
    void networkWithoutSubnetIsFailedPrecondition() {
        String project = newProject();
        Network n = network(stub, project, "empty", false);
        StatusRuntimeException e = fails(Status.Code.FAILED_PRECONDITION, () -> ip(project, n.getId()));
        assertEquals("network " + n.getId() + " has no subnet; add one first", e.getStatus().getDescription());
    }

    @Test
    void fixedIpIsHonouredCheckedAndSkippedByLaterAllocations() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.44.0.0/29", false);
        assertEquals("10.44.0.3", fixed(project, n.getId(), "10.44.0.3").getIpAddress());
        assertEquals("10.44.0.2", ip(project, n.getId()));
        assertEquals("10.44.0.4", ip(project, n.getId()), "the fixed address is skipped");

        String before = snapshot(dataSource);
        StatusRuntimeException taken = fails(Status.Code.ALREADY_EXISTS, () -> fixed(project, n.getId(), "10.44.0.3"));
        assertTrue(taken.getStatus().getDescription().startsWith("fixed_ip 10.44.0.3 is already in use"));
        StatusRuntimeException outside = fails(Status.Code.INVALID_ARGUMENT, () -> fixed(project, n.getId(), "10.45.0.3"));
        assertEquals("fixed_ip: 10.45.0.3 is not inside a subnet of network " + n.getId(),
                outside.getStatus().getDescription());
        assertEquals("fixed_ip: 10.44.0.1 is the gateway address of 10.44.0.0/29",
                fails(Status.Code.INVALID_ARGUMENT, () -> fixed(project, n.getId(), "10.44.0.1"))
                        .getStatus().getDescription());
        assertEquals("fixed_ip: 10.44.0.0 is the network address of 10.44.0.0/29",
                fails(Status.Code.INVALID_ARGUMENT, () -> fixed(project, n.getId(), "10.44.0.0"))
                        .getStatus().getDescription());
        assertEquals("fixed_ip: 10.44.0.7 is the broadcast address of 10.44.0.0/29",
                fails(Status.Code.INVALID_ARGUMENT, () -> fixed(project, n.getId(), "10.44.0.7"))
                        .getStatus().getDescription());
        assertEquals("fixed_ip: must be an IPv4 address such as 10.0.0.1, got 10.44.0",
                fails(Status.Code.INVALID_ARGUMENT, () -> fixed(project, n.getId(), "10.44.0"))
                        .getStatus().getDescription());
        assertEquals(before, snapshot(dataSource), "refused fixed_ip requests change nothing");
    }

    @Test
    void concurrentCreatePortsGetDistinctAddressesAndTheRestAreExhausted() throws Exception {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.46.0.0/29", false);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String device = "i-race-" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return port(stub, project, n.getId(), device).getIpAddress();
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode().name();
                    }
                }));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            Set<String> addresses = results.stream().filter(r -> r.startsWith("10.")).collect(Collectors.toSet());
            assertEquals(Set.of("10.46.0.2", "10.46.0.3", "10.46.0.4", "10.46.0.5", "10.46.0.6"), addresses,
                    "results: " + results);
            assertEquals(3, results.stream().filter("RESOURCE_EXHAUSTED"::equals).count(), "results: " + results);
            assertEquals(5, count(dataSource, "SELECT count(*) FROM ports WHERE network_id = ?", n.getId()));
            assertEquals(5, count(dataSource, "SELECT count(DISTINCT mac_address) FROM ports WHERE network_id = ?",
                    n.getId()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreatePortsOnALargerSubnetNeverShareAnAddress() throws Exception {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.47.0.0/24", false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> ip(project, n.getId())));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> f : futures) {
                assertTrue(seen.add(f.get(60, TimeUnit.SECONDS)), "duplicate address");
            }
            Set<String> expected = IntStream.rangeClosed(2, 41).mapToObj(i -> "10.47.0." + i).collect(Collectors.toSet());
            assertEquals(expected, seen, "the 40 lowest free addresses, no gaps");
        } finally {
            pool.shutdownNow();
        }
    }
}
