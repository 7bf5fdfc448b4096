package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.newProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreateFloatingIpRequest;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateRouterRequest;
import io.virga.contracts.network.v1.DeleteFloatingIpRequest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.DeleteRouterRequest;
import io.virga.contracts.network.v1.DeleteSubnetRequest;
import io.virga.contracts.network.v1.FloatingIp;
import io.virga.contracts.network.v1.GetFloatingIpRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.ResolveRoutersRequest;
import io.virga.contracts.network.v1.Router;
import io.virga.contracts.network.v1.RouterInterfaceRequest;
import io.virga.contracts.network.v1.RouterPlan;
import io.virga.contracts.network.v1.SetNetworkQuotaRequest;
import io.virga.contracts.network.v1.Subnet;
import io.virga.contracts.network.v1.UpdateFloatingIpRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.network.testing.Calls;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * External networks, routers and floating IPs through the real gRPC server
 * and database: lifecycle, refusals (nothing changed), the plan a router
 * node realises, and race-free quotas and addresses.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class RouterFloatingIpTest {
    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource ds;

    private static int nextExternal = 0;

    /** An external network of an admin project with one subnet 172.31.n.0/24 (gateway .1). */
    private Network external() {
        int n;
        synchronized (RouterFloatingIpTest.class) {
            n = ++nextExternal;
        }
        Network net = call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(newProject())
                .setName("ext").setExternal(true).build());
        Calls.subnet(stub, net.getProjectId(), net.getId(), "172.31." + n + ".0/24", "");
        return call(stub).getNetwork(io.virga.contracts.network.v1.GetNetworkRequest.newBuilder()
                .setProjectId(net.getProjectId()).setId(net.getId()).build());
    }

    private Router router(String p, Network ext) {
        return call(stub).createRouter(CreateRouterRequest.newBuilder().setProjectId(p).setName("r")
                .setExternalNetworkId(ext.getId()).build());
    }

    private Router join(String p, String router, String subnet) {
        return call(stub).addRouterInterface(RouterInterfaceRequest.newBuilder().setProjectId(p)
                .setRouterId(router).setSubnetId(subnet).build());
    }

    private Router leave(String p, String router, String subnet) {
        return call(stub).removeRouterInterface(RouterInterfaceRequest.newBuilder().setProjectId(p)
                .setRouterId(router).setSubnetId(subnet).build());
    }

    private FloatingIp fip(String p, Network ext, String port) {
        return call(stub).createFloatingIp(CreateFloatingIpRequest.newBuilder().setProjectId(p)
                .setFloatingNetworkId(ext.getId()).setPortId(port).build());
    }

    private FloatingIp update(String p, String id, String port, int version) {
        return call(stub).updateFloatingIp(UpdateFloatingIpRequest.newBuilder().setProjectId(p).setId(id)
                .setPortId(port).setExpectedVersion(version).build());
    }

    private RouterPlan plan(String routerId) {
        return call(stub).resolveRouters(ResolveRoutersRequest.getDefaultInstance()).getRoutersList().stream()
                .filter(r -> r.getRouterId().equals(routerId)).findFirst().orElseThrow();
    }

    private Subnet subnetOf(String p, String cidr) {
        Network n = Calls.network(stub, p, "inner", false);
        return Calls.subnet(stub, p, n.getId(), cidr, "");
    }

    @Test
    void aRouterJoinsSubnetsAndAFloatingIpMapsToAPortThenEverythingIsRemovedInOrder() {
        Network ext = external();
        assertTrue(ext.getExternal());
        String p = newProject();
        Router r = router(p, ext);
        assertEquals("172.31." + nextExternalOf(ext) + ".2", r.getGatewayIp(), "the first free pool address");
        Subnet a = subnetOf(p, "10.70.1.0/24");
        Subnet b = subnetOf(p, "10.70.2.0/24");
        join(p, r.getId(), a.getId());
        Router both = join(p, r.getId(), b.getId());
        assertEquals(List.of(a.getId(), b.getId()), both.getSubnetIdsList());
        assertEquals(both, join(p, r.getId(), b.getId()), "joining again is a no-op");
        Port port = Calls.port(stub, p, a.getNetworkId(), "i-1");

        FloatingIp f = fip(p, ext, "");
        assertEquals("DOWN", f.getStatus());
        assertEquals(1, f.getVersion());
        FloatingIp assoc = update(p, f.getId(), port.getId(), 1);
        assertEquals("ACTIVE", assoc.getStatus());
        assertEquals(port.getIpAddress(), assoc.getFixedIpAddress());
        assertEquals(r.getId(), assoc.getRouterId());
        assertEquals(2, assoc.getVersion());

        RouterPlan plan = plan(r.getId());
        assertEquals(ext.getVni(), plan.getGateway().getVni());
        assertEquals(r.getGatewayIp() + "/24", plan.getGateway().getAddress());
        assertEquals("172.31." + nextExternalOf(ext) + ".1", plan.getExternalGateway());
        assertEquals(List.of("10.70.1.1/24", "10.70.2.1/24"),
                plan.getInterfacesList().stream().map(l -> l.getAddress()).toList());
        assertEquals(1, plan.getFloatingIpsCount());
        assertEquals(f.getFloatingIpAddress(), plan.getFloatingIps(0).getFloatingIp());
        assertEquals(port.getIpAddress(), plan.getFloatingIps(0).getFixedIp());

        // what is in use cannot go
        fails(Status.Code.FAILED_PRECONDITION, () -> leave(p, r.getId(), a.getId()));
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteRouter(DeleteRouterRequest.newBuilder()
                .setProjectId(p).setId(r.getId()).build()));
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteSubnet(DeleteSubnetRequest.newBuilder()
                .setProjectId(p).setId(b.getId()).build()));
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteNetwork(DeleteNetworkRequest.newBuilder()
                .setProjectId(ext.getProjectId()).setId(ext.getId()).build()));

        // a lost update is refused, a current one passes
        fails(Status.Code.ABORTED, () -> update(p, f.getId(), "", 1));
        FloatingIp off = update(p, f.getId(), "", 2);
        assertEquals("DOWN", off.getStatus());
        assertEquals(0, plan(r.getId()).getFloatingIpsCount());
        leave(p, r.getId(), a.getId());
        leave(p, r.getId(), b.getId());
        fails(Status.Code.NOT_FOUND, () -> leave(p, r.getId(), b.getId()));
        assertEquals(1, call(stub).deleteRouter(DeleteRouterRequest.newBuilder().setProjectId(p)
                .setId(r.getId()).build()).getDeleted());
        assertEquals(1, call(stub).deleteFloatingIp(DeleteFloatingIpRequest.newBuilder().setProjectId(p)
                .setId(f.getId()).build()).getDeleted());
        assertEquals(0, Calls.count(ds, "SELECT count(*) FROM external_ips e JOIN subnets s ON s.id = e.subnet_id"
                + " WHERE s.network_id = ?", ext.getId()), "every external address is free again");
        call(stub).deleteNetwork(DeleteNetworkRequest.newBuilder().setProjectId(ext.getProjectId())
                .setId(ext.getId()).build());
    }

    private static String nextExternalOf(Network ext) {
        return ext.getSubnets(0).getCidr().split("\\.")[2];
    }

    @Test
    void badRequestsAreRefusedClearlyAndChangeNothing() {
        Network ext = external();
        ext = call(stub).getNetwork(io.virga.contracts.network.v1.GetNetworkRequest.newBuilder()
                .setProjectId(newProject()).setId(ext.getId()).build());
        Network extSeen = ext;
        assertEquals(1, extSeen.getSubnetsCount(), "every project sees an external network");
        String p = newProject();
        Subnet inner = subnetOf(p, "10.71.0.0/24");
        String before = snapshot();
        assertEquals("external_network_id: network " + inner.getNetworkId() + " is not an external network",
                fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createRouter(CreateRouterRequest.newBuilder()
                        .setProjectId(p).setName("r").setExternalNetworkId(inner.getNetworkId()).build()))
                        .getStatus().getDescription());
        fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createFloatingIp(CreateFloatingIpRequest.newBuilder()
                .setProjectId(p).setFloatingNetworkId(inner.getNetworkId()).build()));
        fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createPort(CreatePortRequest.newBuilder()
                .setProjectId(p).setNetworkId(extSeen.getId()).setRequestId(Calls.newRequestId()).build()));
        // a port whose subnet no router joins cannot get a floating IP (the allocation is undone too)
        Port loose = Calls.port(stub, p, inner.getNetworkId(), "");
        StatusRuntimeException e = fails(Status.Code.FAILED_PRECONDITION, () -> fip(p, extSeen, loose.getId()));
        assertTrue(e.getStatus().getDescription().contains("which no router joins"), e.getMessage());
        assertEquals(before, snapshot().replaceFirst("/\\d+$", "/" + before.split("/")[4]),
                "only the port was added");
        // another project's router and subnet are not found
        Router r = router(p, extSeen);
        String q = newProject();
        fails(Status.Code.NOT_FOUND, () -> join(q, r.getId(), inner.getId()));
        Subnet other = subnetOf(q, "10.71.0.0/24");
        fails(Status.Code.NOT_FOUND, () -> join(p, r.getId(), other.getId()));
        // overlapping subnets on one router, a subnet on two routers
        join(p, r.getId(), inner.getId());
        Subnet overlapping = subnetOf(p, "10.71.0.0/25");
        assertTrue(fails(Status.Code.INVALID_ARGUMENT, () -> join(p, r.getId(), overlapping.getId())).getStatus()
                .getDescription().startsWith("subnet_id: subnet " + overlapping.getId() + " (10.71.0.0/25) overlaps"));
        Router r2 = router(p, extSeen);
        fails(Status.Code.ALREADY_EXISTS, () -> join(p, r2.getId(), inner.getId()));
        // a port holds one floating IP; deleting the port disassociates it
        FloatingIp f1 = fip(p, extSeen, loose.getId());
        fails(Status.Code.ALREADY_EXISTS, () -> fip(p, extSeen, loose.getId()));
        call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(p).setId(loose.getId()).build());
        FloatingIp after = call(stub).getFloatingIp(GetFloatingIpRequest.newBuilder().setProjectId(p)
                .setId(f1.getId()).build());
        assertEquals("DOWN", after.getStatus());
        fails(Status.Code.NOT_FOUND, () -> call(stub).getFloatingIp(GetFloatingIpRequest.newBuilder()
                .setProjectId(q).setId(f1.getId()).build()));
    }

    private String snapshot() {
        return Calls.count(ds, "SELECT count(*) FROM routers") + "/" + Calls.count(ds, "SELECT count(*) FROM floating_ips")
                + "/" + Calls.count(ds, "SELECT count(*) FROM external_ips") + "/"
                + Calls.count(ds, "SELECT count(*) FROM router_interfaces") + "/"
                + Calls.count(ds, "SELECT count(*) FROM ports");
    }

    @Test
    void concurrentFloatingIpAndRouterCreatesNeverPassTheQuotaNorShareAnAddress() throws Exception {
        Network ext = external();
        String p = newProject();
        call(stub).setNetworkQuota(SetNetworkQuotaRequest.newBuilder().setProjectId(p).setResource("floating_ips")
                .setLimit(5).build());
        call(stub).setNetworkQuota(SetNetworkQuotaRequest.newBuilder().setProjectId(p).setResource("routers")
                .setLimit(2).build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(pool.submit(() -> fip(p, ext, "").getFloatingIpAddress()));
            }
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> router(p, ext).getGatewayIp()));
            }
            Set<String> addresses = new HashSet<>();
            int ok = 0;
            for (Future<String> f : futures) {
                try {
                    addresses.add(f.get());
                    ok++;
                } catch (ExecutionException x) {
                    StatusRuntimeException s = (StatusRuntimeException) x.getCause();
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getStatus().getCode(), s.getMessage());
                    assertTrue(s.getStatus().getDescription().startsWith("quota exceeded for"));
                }
            }
            assertEquals(7, ok, "5 floating IPs + 2 routers");
            assertEquals(7, addresses.size(), "no address handed out twice");
        } finally {
            pool.shutdown();
        }
    }
}
