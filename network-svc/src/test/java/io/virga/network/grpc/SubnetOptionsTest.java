package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.network;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static io.virga.network.testing.Calls.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.AllocationPool;
import io.virga.contracts.network.v1.BindPortRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.DeleteSubnetRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.HostRoute;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.network.testing.Calls;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Subnet options (pools, DNS, host routes, optional name), subnet delete, fixed IPs by subnet, bound ports. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class SubnetOptionsTest {
    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource dataSource;

    private static CreateSubnetRequest.Builder subnet(String project, String networkId, String cidr) {
        return CreateSubnetRequest.newBuilder().setProjectId(project).setNetworkId(networkId).setCidr(cidr);
    }

    private static AllocationPool pool(String start, String end) {
        return AllocationPool.newBuilder().setStart(start).setEnd(end).build();
    }

    @Test
    void aNamelessSubnetWithPoolsDnsAndRoutesHandsOutPoolAddressesOnly() {
        String p = newProject();
        Network n = network(stub, p, "opts", false);
        Subnet s = call(stub).createSubnet(subnet(p, n.getId(), "10.80.0.0/24")
                .addAllocationPools(pool("10.80.0.100", "10.80.0.101"))
                .addDnsNameservers("10.80.0.2").addDnsNameservers("192.0.2.53")
                .addHostRoutes(HostRoute.newBuilder().setDestination("192.168.0.0/16").setNexthop("10.80.0.254"))
                .build());
        assertEquals("", s.getName());
        assertEquals(List.of(pool("10.80.0.100", "10.80.0.101")), s.getAllocationPoolsList());
        assertEquals(List.of("10.80.0.2", "192.0.2.53"), s.getDnsNameserversList());
        assertEquals("192.168.0.0/16", s.getHostRoutes(0).getDestination());
        assertEquals("10.80.0.100", port(stub, p, n.getId(), "i-a").getIpAddress());
        assertEquals("10.80.0.101", port(stub, p, n.getId(), "i-b").getIpAddress());
        fails(Status.Code.RESOURCE_EXHAUSTED, () -> port(stub, p, n.getId(), "i-c"));
        // a fixed IP outside the pools but inside the subnet is honoured, as in OpenStack
        assertEquals("10.80.0.7", call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(p)
                .setNetworkId(n.getId()).setRequestId(Calls.newRequestId()).setFixedIp("10.80.0.7").build())
                .getIpAddress());
    }

    @Test
    void defaultPoolsSkipTheGatewayInTheMiddle() {
        String p = newProject();
        Network n = network(stub, p, "mid", false);
        Subnet s = call(stub).createSubnet(subnet(p, n.getId(), "10.81.0.0/29").setGatewayIp("10.81.0.3").build());
        assertEquals(List.of(pool("10.81.0.1", "10.81.0.2"), pool("10.81.0.4", "10.81.0.6")),
                s.getAllocationPoolsList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gateway in pool     | 10.82.0.1-10.82.0.9                   |              |                          | allocation_pools[0]: 10.82.0.1-10.82.0.9 contains the gateway 10.82.0.1",
        "pool outside        | 10.82.1.5-10.82.1.9                   |              |                          | allocation_pools[0].start: 10.82.1.5 is not inside 10.82.0.0/24",
        "pool broadcast      | 10.82.0.5-10.82.0.255                 |              |                          | allocation_pools[0].end: 10.82.0.255 is the broadcast address of 10.82.0.0/24",
        "pool reversed       | 10.82.0.9-10.82.0.5                   |              |                          | allocation_pools[0]: start 10.82.0.9 is after end 10.82.0.5",
        "pools overlap       | 10.82.0.5-10.82.0.9,10.82.0.9-10.82.0.12 |           |                          | allocation_pools[1]: 10.82.0.9-10.82.0.12 overlaps pool 10.82.0.5-10.82.0.9",
        "bad dns             |                                       | 10.82.0     |                          | dns_nameservers[0]: must be an IPv4 address such as 10.0.0.1, got 10.82.0",
        "route host bits     |                                       |              | 192.168.1.0/16>10.82.0.9 | host_routes[0].destination: host bits set, did you mean 192.168.0.0/16?",
        "route via outside   |                                       |              | 0.0.0.0/0>10.99.0.1      | host_routes[0].nexthop: 10.99.0.1 is not inside 10.82.0.0/24",
    })
    void badOptionsAreRefusedNamingTheField(String name, String pools, String dns, String routes, String expected) {
        String p = newProject();
        Network n = network(stub, p, "bad", false);
        CreateSubnetRequest.Builder b = subnet(p, n.getId(), "10.82.0.0/24");
        if (pools != null) {
            for (String range : pools.split(",")) {
                String[] ends = range.split("-");
                b.addAllocationPools(pool(ends[0], ends[1]));
            }
        }
        if (dns != null) {
            b.addDnsNameservers(dns);
        }
        if (routes != null) {
            String[] r = routes.split(">");
            b.addHostRoutes(HostRoute.newBuilder().setDestination(r[0]).setNexthop(r[1]));
        }
        String before = snapshot(dataSource);
        assertEquals(expected, fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createSubnet(b.build()))
                .getStatus().getDescription());
        assertEquals(before, snapshot(dataSource));
    }

    @Test
    void aSubnetWithPortsCannotBeDeletedNorItsNetwork() {
        String p = newProject();
        Network n = network(stub, p, "del", false);
        Subnet s = call(stub).createSubnet(subnet(p, n.getId(), "10.83.0.0/24").build());
        Port port = port(stub, p, n.getId(), "i-1");
        String msg = fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteSubnet(DeleteSubnetRequest
                .newBuilder().setProjectId(p).setId(s.getId()).build())).getStatus().getDescription();
        assertTrue(msg.contains("still has 1 port"), msg);
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteNetwork(DeleteNetworkRequest.newBuilder()
                .setProjectId(p).setId(n.getId()).build()));
        call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(p).setId(port.getId()).build());
        assertEquals(1, call(stub).deleteSubnet(DeleteSubnetRequest.newBuilder().setProjectId(p).setId(s.getId())
                .build()).getDeleted());
        assertEquals(0, call(stub).deleteSubnet(DeleteSubnetRequest.newBuilder().setProjectId(p).setId(s.getId())
                .build()).getDeleted());
    }

    @Test
    void fixedIpsByAddressOrSubnetAreHonouredOrRefusedClearly() {
        String p = newProject();
        Network n = network(stub, p, "fixed", false);
        call(stub).createSubnet(subnet(p, n.getId(), "10.84.0.0/24").build());
        Subnet second = call(stub).createSubnet(subnet(p, n.getId(), "10.84.1.0/24").build());
        Port bySubnet = call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(p).setNetworkId(n.getId())
                .setRequestId(Calls.newRequestId()).setSubnetId(second.getId()).build());
        assertEquals("10.84.1.2", bySubnet.getIpAddress());
        assertEquals("10.84.0.9", call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(p)
                .setNetworkId(n.getId()).setRequestId(Calls.newRequestId()).setFixedIp("10.84.0.9").build())
                .getIpAddress());
        assertTrue(fails(Status.Code.ALREADY_EXISTS, () -> call(stub).createPort(CreatePortRequest.newBuilder()
                .setProjectId(p).setNetworkId(n.getId()).setRequestId(Calls.newRequestId()).setFixedIp("10.84.0.9")
                .build())).getStatus().getDescription().contains("already in use"));
        assertEquals("subnet_id: subnet s-nope is not a subnet of network " + n.getId(),
                fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createPort(CreatePortRequest.newBuilder()
                        .setProjectId(p).setNetworkId(n.getId()).setRequestId(Calls.newRequestId())
                        .setSubnetId("s-nope").build())).getStatus().getDescription());
    }

    @Test
    void aUsersPortIsBoundToAnInstanceAndOnlyUnboundWhenTheInstanceGoes() {
        String p = newProject();
        Network n = network(stub, p, "bind", false);
        call(stub).createSubnet(subnet(p, n.getId(), "10.85.0.0/24").build());
        Port mine = port(stub, p, n.getId(), "");
        Port made = port(stub, p, n.getId(), "i-7");
        Port bound = call(stub).bindPort(BindPortRequest.newBuilder().setProjectId(p).setPortId(mine.getId())
                .setDeviceId("i-7").build());
        assertEquals("i-7", bound.getDeviceId());
        assertEquals(false, bound.getAutoDelete());
        assertEquals("i-7", call(stub).bindPort(BindPortRequest.newBuilder().setProjectId(p).setPortId(mine.getId())
                .setDeviceId("i-7").build()).getDeviceId(), "idempotent");
        assertTrue(fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).bindPort(BindPortRequest.newBuilder()
                .setProjectId(p).setPortId(mine.getId()).setDeviceId("i-8").build())).getStatus().getDescription()
                .contains("in use by i-7"));
        fails(Status.Code.NOT_FOUND, () -> call(stub).bindPort(BindPortRequest.newBuilder().setProjectId(newProject())
                .setPortId(mine.getId()).setDeviceId("i-9").build()));
        assertEquals(1, call(stub).deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(p)
                .setDeviceId("i-7").build()).getDeleted());
        Port after = call(stub).getPort(GetPortRequest.newBuilder().setProjectId(p).setId(mine.getId()).build());
        assertEquals("", after.getDeviceId());
        assertEquals(mine.getIpAddress(), after.getIpAddress());
        fails(Status.Code.NOT_FOUND, () -> call(stub).getPort(GetPortRequest.newBuilder().setProjectId(p)
                .setId(made.getId()).build()));
    }
}
