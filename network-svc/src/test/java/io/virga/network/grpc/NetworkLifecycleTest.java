package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.count;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.network;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static io.virga.network.testing.Calls.subnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.devstack.testing.InfraTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class NetworkLifecycleTest {

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource dataSource;

    @Test
    void createNetworkThenSubnetThenPorts() {
        String project = newProject();
        Network created = network(stub, project, "web", false);
        assertTrue(created.getId().startsWith("n-"));
        assertEquals(project, created.getProjectId());
        assertEquals("web", created.getName());
        assertEquals("ACTIVE", created.getStatus());
        assertTrue(created.getVni() >= 1 && created.getVni() <= 16_777_215);
        assertEquals(0, created.getSubnetsCount());
        Instant.parse(created.getCreatedAt());

        Subnet subnet = subnet(stub, project, created.getId(), "10.20.0.0/24", "");
        assertTrue(subnet.getId().startsWith("s-"));
        assertEquals("10.20.0.0/24", subnet.getCidr());
        assertEquals("10.20.0.1", subnet.getGatewayIp(), "the gateway defaults to the first host");
        assertEquals(project, subnet.getProjectId());
        assertEquals(created.getId(), subnet.getNetworkId());

        Port port = port(stub, project, created.getId(), "i-1");
        assertTrue(port.getId().startsWith("p-"));
        assertEquals("10.20.0.2", port.getIpAddress());
        assertTrue(port.getMacAddress().matches("fa:16:3e(:[0-9a-f]{2}){3}"), port.getMacAddress());
        assertEquals(subnet.getId(), port.getSubnetId());
        assertEquals("DOWN", port.getStatus());
        assertEquals("i-1", port.getDeviceId());

        Network read = call(stub).getNetwork(GetNetworkRequest.newBuilder().setProjectId(project)
                .setId(created.getId()).build());
        assertEquals(created.getVni(), read.getVni());
        assertEquals(List.of(subnet), read.getSubnetsList());
    }

    @Test
    void explicitGatewayIsKept() {
        String project = newProject();
        Network n = network(stub, project, "gw", false);
        Subnet s = subnet(stub, project, n.getId(), "192.168.10.0/24", "192.168.10.254");
        assertEquals("192.168.10.254", s.getGatewayIp());
        assertEquals("192.168.10.1", port(stub, project, n.getId(), "").getIpAddress());
    }

    @Test
    void everyNetworkGetsItsOwnVni() {
        String project = newProject();
        Network a = network(stub, project, "a", false);
        Network b = network(stub, project, "b", false);
        assertNotEquals(a.getVni(), b.getVni());
        assertEquals(0, count(dataSource, "SELECT count(*) FROM (SELECT vni FROM networks GROUP BY vni"
                + " HAVING count(*) > 1) d"));
    }

    @Test
    void vniSequenceWrapsAroundToTheLowestFreeVni() throws Exception {
        String project = newProject();
        network(stub, project, "before-wrap", false);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT setval('network_vni_seq', 16777214)");
        }
        Network last = network(stub, project, "last-vni", false);
        assertEquals(16_777_215, last.getVni());
        Network wrapped = network(stub, project, "wrapped", false);
        assertTrue(wrapped.getVni() >= 1 && wrapped.getVni() < 16_777_215, "wrapped to " + wrapped.getVni());
        assertEquals(1, count(dataSource, "SELECT count(*) FROM networks WHERE vni = " + wrapped.getVni()));
        assertEquals(wrapped.getVni() - 1, count(dataSource, "SELECT count(*) FROM networks WHERE vni BETWEEN 1 AND "
                + (wrapped.getVni() - 1)), "every VNI below the wrapped one is in use (it took the lowest free one)");
        assertTrue(network(stub, project, "after-wrap", false).getVni() > wrapped.getVni());
    }

    @Test
    void listShowsOwnNetworksWithTheirSubnetsOldestFirst() {
        String project = newProject();
        Network a = network(stub, project, "first", false);
        Network b = network(stub, project, "second", false);
        subnet(stub, project, b.getId(), "10.1.0.0/24", "");
        subnet(stub, project, b.getId(), "10.2.0.0/24", "");
        List<Network> listed = call(stub).listNetworks(ListNetworksRequest.newBuilder().setProjectId(project).build())
                .getNetworksList().stream().filter(n -> n.getProjectId().equals(project)).toList();
        assertEquals(List.of(a.getId(), b.getId()), listed.stream().map(Network::getId).toList());
        assertEquals(0, listed.get(0).getSubnetsCount());
        assertEquals(List.of("10.1.0.0/24", "10.2.0.0/24"),
                listed.get(1).getSubnetsList().stream().map(Subnet::getCidr).toList());
    }

    @Test
    void deleteIsRefusedWhilePortsExistThenDeletesSubnetsToo() {
        String project = newProject();
        Network n = network(stub, project, "doomed", false);
        subnet(stub, project, n.getId(), "10.30.0.0/24", "");
        subnet(stub, project, n.getId(), "10.31.0.0/24", "");
        port(stub, project, n.getId(), "i-doomed");
        port(stub, project, n.getId(), "i-doomed");
        DeleteNetworkRequest delete = DeleteNetworkRequest.newBuilder().setProjectId(project).setId(n.getId()).build();

        var refused = fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteNetwork(delete));
        assertEquals("network " + n.getId() + " still has 2 ports; delete them first",
                refused.getStatus().getDescription());
        assertEquals(2, count(dataSource, "SELECT count(*) FROM subnets WHERE network_id = ?", n.getId()));

        assertEquals(2, call(stub).deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(project)
                .setDeviceId("i-doomed").build()).getDeleted());
        assertEquals(1, call(stub).deleteNetwork(delete).getDeleted());
        assertEquals(0, count(dataSource, "SELECT count(*) FROM subnets WHERE network_id = ?", n.getId()));
        fails(Status.Code.NOT_FOUND, () -> call(stub).getNetwork(GetNetworkRequest.newBuilder()
                .setProjectId(project).setId(n.getId()).build()));
        var again = fails(Status.Code.NOT_FOUND, () -> call(stub).deleteNetwork(delete));
        assertEquals("network " + n.getId() + " not found", again.getStatus().getDescription());
    }

    @Test
    void concurrentOverlappingSubnetsOnlyOneWins() throws Exception {
        String project = newProject();
        Network n = network(stub, project, "racy", false);
        List<String> cidrs = List.of("10.32.0.0/16", "10.32.0.0/17", "10.32.0.0/24", "10.32.0.0/25");
        ExecutorService pool = Executors.newFixedThreadPool(cidrs.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Status.Code>> results = new ArrayList<>();
            for (String cidr : cidrs) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        subnet(stub, project, n.getId(), cidr, "");
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            start.countDown();
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> f : results) {
                codes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, codes.stream().filter(Status.Code.OK::equals).count(), codes.toString());
            assertEquals(3, codes.stream().filter(Status.Code.INVALID_ARGUMENT::equals).count(), codes.toString());
            assertEquals(1, count(dataSource, "SELECT count(*) FROM subnets WHERE network_id = ?", n.getId()));
        } finally {
            pool.shutdownNow();
        }
    }
}
