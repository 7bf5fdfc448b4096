package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static io.virga.network.testing.Calls.subnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.devstack.testing.InfraTestResource;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class TenantIsolationTest {

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    private List<String> visibleNetworkIds(String project) {
        return call(stub).listNetworks(ListNetworksRequest.newBuilder().setProjectId(project).build())
                .getNetworksList().stream().map(Network::getId).toList();
    }

    @Test
    void aPrivateNetworkDoesNotExistForAnotherProject() {
        String a = newProject();
        String b = newProject();
        Network n = networkWithSubnet(stub, a, "10.60.0.0/24", false);
        String notFound = "network " + n.getId() + " not found";

        assertFalse(visibleNetworkIds(b).contains(n.getId()));
        assertTrue(visibleNetworkIds(a).contains(n.getId()));
        assertEquals(notFound, fails(Status.Code.NOT_FOUND, () -> call(stub).getNetwork(GetNetworkRequest
                .newBuilder().setProjectId(b).setId(n.getId()).build())).getStatus().getDescription());
        assertEquals(notFound, fails(Status.Code.NOT_FOUND, () -> port(stub, b, n.getId(), ""))
                .getStatus().getDescription());
        assertEquals(notFound, fails(Status.Code.NOT_FOUND, () -> subnet(stub, b, n.getId(), "10.61.0.0/24", ""))
                .getStatus().getDescription());
        assertEquals(notFound, fails(Status.Code.NOT_FOUND, () -> call(stub).deleteNetwork(DeleteNetworkRequest
                .newBuilder().setProjectId(b).setId(n.getId()).build())).getStatus().getDescription());
        // the same answer as for an id that never existed
        assertEquals("network n-000000000000 not found", fails(Status.Code.NOT_FOUND, () -> call(stub)
                .getNetwork(GetNetworkRequest.newBuilder().setProjectId(b).setId("n-000000000000").build()))
                .getStatus().getDescription());
    }

    @Test
    void aSharedNetworkCanBeReadAndUsedButNotChangedByOthers() {
        String owner = newProject();
        String other = newProject();
        Network shared = networkWithSubnet(stub, owner, "10.62.0.0/24", true);
        assertTrue(visibleNetworkIds(other).contains(shared.getId()));
        Network read = call(stub).getNetwork(GetNetworkRequest.newBuilder().setProjectId(other)
                .setId(shared.getId()).build());
        assertEquals(owner, read.getProjectId());
        assertEquals(1, read.getSubnetsCount());

        Port theirs = port(stub, other, shared.getId(), "i-other");
        assertEquals(other, theirs.getProjectId());
        assertEquals("10.62.0.2", theirs.getIpAddress());

        StatusRuntimeException noSubnet = fails(Status.Code.PERMISSION_DENIED,
                () -> subnet(stub, other, shared.getId(), "10.63.0.0/24", ""));
        assertTrue(noSubnet.getStatus().getDescription().contains("only its owner"));
        fails(Status.Code.PERMISSION_DENIED, () -> call(stub).deleteNetwork(DeleteNetworkRequest.newBuilder()
                .setProjectId(other).setId(shared.getId()).build()));

        // the owner cannot delete the network under another project's port, nor see that port
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteNetwork(DeleteNetworkRequest.newBuilder()
                .setProjectId(owner).setId(shared.getId()).build()));
        fails(Status.Code.NOT_FOUND, () -> call(stub).getPort(GetPortRequest.newBuilder().setProjectId(owner)
                .setId(theirs.getId()).build()));
        assertEquals(0, call(stub).listPorts(ListPortsRequest.newBuilder().setProjectId(owner)
                .setNetworkId(shared.getId()).build()).getPortsCount());
    }

    @Test
    void portsOfAnotherProjectCanNeitherBeReadNorDeleted() {
        String a = newProject();
        String b = newProject();
        Network n = networkWithSubnet(stub, a, "10.64.0.0/24", false);
        Port p = port(stub, a, n.getId(), "i-a");
        fails(Status.Code.NOT_FOUND, () -> call(stub).getPort(GetPortRequest.newBuilder().setProjectId(b)
                .setId(p.getId()).build()));
        assertEquals(0, call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(b).setId(p.getId())
                .build()).getDeleted());
        assertEquals(0, call(stub).deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(b)
                .setDeviceId("i-a").build()).getDeleted());
        assertEquals(0, call(stub).listPorts(ListPortsRequest.newBuilder().setProjectId(b).setDeviceId("i-a")
                .build()).getPortsCount());
        assertEquals(p, call(stub).getPort(GetPortRequest.newBuilder().setProjectId(a).setId(p.getId()).build()),
                "the owner's port is untouched");
    }
}
