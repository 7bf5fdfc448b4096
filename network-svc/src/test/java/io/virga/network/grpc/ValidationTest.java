package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.devstack.testing.InfraTestResource;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input is INVALID_ARGUMENT "field: message" and changes nothing. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class ValidationTest {
    private static final String LONG_NAME = "x".repeat(65);

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource dataSource;

    /** One project with a network 10.70.0.0/24, made once for the whole table. */
    private static String project;
    private static Network network;

    private Network fixture() {
        if (network == null) {
            project = newProject();
            network = networkWithSubnet(stub, project, "10.70.0.0/24", false);
        }
        return network;
    }

    private void refused(String expected, Runnable call) {
        String before = snapshot(dataSource);
        String description = fails(Status.Code.INVALID_ARGUMENT, call::run).getStatus().getDescription();
        if (expected.endsWith("…")) {
            String prefix = expected.substring(0, expected.length() - 1);
            assertTrue(description.startsWith(prefix), description);
        } else {
            assertEquals(expected, description);
        }
        assertEquals(before, snapshot(dataSource), "refused input changed nothing");
    }

    @ParameterizedTest(name = "cidr {0} gateway {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "10.0.0.1/24     |             | cidr: host bits set, did you mean 10.0.0.0/24?",
        "10.71.3.7/16    |             | cidr: host bits set, did you mean 10.71.0.0/16?",
        "10.71.0.0/31    |             | cidr: prefix length must be between /8 and /30, got /31",
        "10.71.0.0/32    |             | cidr: prefix length must be between /8 and /30, got /32",
        "10.0.0.0/7      |             | cidr: prefix length must be between /8 and /30, got /7",
        "                |             | cidr: required",
        "10.71.0.0       |             | cidr: must be an IPv4 CIDR such as 10.0.0.0/24, got 10.71.0.0",
        "10.71.0.0/x     |             | cidr: must be an IPv4 CIDR such as 10.0.0.0/24, got 10.71.0.0/x",
        "fd00::/64       |             | cidr: only IPv4 is supported, got fd00::/64",
        "127.0.0.0/8     |             | cidr: 127.0.0.0/8 overlaps the loopback range 127.0.0.0/8",
        "224.1.0.0/16    |             | cidr: 224.1.0.0/16 overlaps the multicast range 224.0.0.0/4",
        "10.71.0.0/24    | 10.72.0.1   | gateway_ip: 10.72.0.1 is not inside 10.71.0.0/24",
        "10.71.0.0/24    | 10.71.0.0   | gateway_ip: 10.71.0.0 is the network address of 10.71.0.0/24",
        "10.71.0.0/24    | 10.71.0.255 | gateway_ip: 10.71.0.255 is the broadcast address of 10.71.0.0/24",
        "10.71.0.0/24    | 10.71.0     | gateway_ip: must be an IPv4 address such as 10.0.0.1, got 10.71.0",
        "10.70.0.0/24    |             | cidr: 10.70.0.0/24 overlaps subnet s-…",
        "10.70.0.128/25  |             | cidr: 10.70.0.128/25 overlaps subnet s-…",
        "10.0.0.0/8      |             | cidr: 10.0.0.0/8 overlaps subnet s-…",
    })
    void badSubnets(String cidr, String gateway, String expected) {
        Network n = fixture();
        refused(expected, () -> call(stub).createSubnet(CreateSubnetRequest.newBuilder().setProjectId(project)
                .setNetworkId(n.getId()).setName("bad").setCidr(cidr == null ? "" : cidr)
                .setGatewayIp(gateway == null ? "" : gateway).build()));
    }

    @Test
    void theBadFieldTravelsAsABadRequestDetail() {
        io.grpc.StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createNetwork(
                CreateNetworkRequest.newBuilder().setProjectId(newProject()).setName("web/1").build()));
        assertEquals(java.util.List.of(new io.virga.platform.grpc.GrpcErrors.Violation("name",
                "only letters, digits, '.', '_' and '-' are allowed")), io.virga.platform.grpc.FieldViolations.of(e));
    }

    @ParameterizedTest(name = "network name [{0}]")
    @CsvSource(delimiter = '|', value = {
        "            | name: required",
        "web server  | name: only letters, digits, '.', '_' and '-' are allowed",
        "web/1       | name: only letters, digits, '.', '_' and '-' are allowed",
        "réseau      | name: only letters, digits, '.', '_' and '-' are allowed",
        "LONG        | name: at most 64 characters, got 65",
    })
    void badNetworkNames(String name, String expected) {
        String value = name == null ? "" : "LONG".equals(name) ? LONG_NAME : name;
        refused(expected, () -> call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(newProject())
                .setName(value).build()));
    }

    @Test
    void goodNamesAtTheEdges() {
        String p = newProject();
        assertEquals("x".repeat(64), call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(p)
                .setName("x".repeat(64)).build()).getName());
        assertEquals("a", call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(p)
                .setName("a").build()).getName());
        assertEquals("Web_1.prod-2", call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(p)
                .setName("Web_1.prod-2").build()).getName());
    }

    @Test
    void badSubnetNames() {
        Network n = fixture();
        refused("name: only letters, digits, '.', '_' and '-' are allowed", () -> call(stub).createSubnet(
                CreateSubnetRequest.newBuilder().setProjectId(project).setNetworkId(n.getId()).setName("a b")
                        .setCidr("10.73.0.0/24").build()));
    }

    @Test
    void projectIdIsRequiredEverywhere() {
        Network n = fixture();
        refused("project_id: required", () -> call(stub).createNetwork(CreateNetworkRequest.newBuilder()
                .setName("x").build()));
        refused("project_id: required", () -> call(stub).createSubnet(CreateSubnetRequest.newBuilder()
                .setNetworkId(n.getId()).setName("x").setCidr("10.74.0.0/24").build()));
        refused("project_id: required", () -> call(stub).createPort(CreatePortRequest.newBuilder()
                .setNetworkId(n.getId()).setRequestId("r").build()));
        refused("project_id: required", () -> call(stub).listNetworks(ListNetworksRequest.newBuilder().build()));
        refused("project_id: required", () -> call(stub).getNetwork(GetNetworkRequest.newBuilder()
                .setId(n.getId()).build()));
        refused("id: required", () -> call(stub).getPort(GetPortRequest.newBuilder().setProjectId(project).build()));
    }

    @ParameterizedTest(name = "port {0}")
    @CsvSource(delimiter = '|', value = {
        "no request id  | NETWORK | i-1    |        |           | request_id: required",
        "spaced req id  | NETWORK | i-1    | a b    |           | request_id: 1 to 128 visible ASCII characters without spaces",
        "no network     |         | i-1    | r-1    |           | network_id: required",
        "bad device     | NETWORK | i 1    | r-1    |           | device_id: only letters, digits, '.', '_' and '-' are allowed",
        "bad fixed ip   | NETWORK | i-1    | r-1    | 10.70.0   | fixed_ip: must be an IPv4 address such as 10.0.0.1, got 10.70.0",
        "ipv6 fixed ip  | NETWORK | i-1    | r-1    | fd00::5   | fixed_ip: only IPv4 is supported, got fd00::5",
        "outside        | NETWORK | i-1    | r-1    | 10.99.0.5 | fixed_ip: 10.99.0.5 is not inside a subnet of network …",
    })
    void badPorts(String caseName, String networkId, String device, String requestId, String fixedIp,
            String expected) {
        Network n = fixture();
        refused(expected, () -> call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(project)
                .setNetworkId("NETWORK".equals(networkId) ? n.getId() : "")
                .setDeviceId(device == null ? "" : device)
                .setRequestId(requestId == null ? "" : requestId)
                .setFixedIp(fixedIp == null ? "" : fixedIp).build()));
    }
}
