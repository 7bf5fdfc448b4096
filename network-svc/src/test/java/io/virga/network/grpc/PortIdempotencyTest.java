package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.count;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.newRequestId;
import static io.virga.network.testing.Calls.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.network.testing.ScriptedMacAddresses;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class PortIdempotencyTest {

    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    @Inject
    DataSource dataSource;

    @Inject
    ScriptedMacAddresses macs;

    private static CreatePortRequest request(String project, String networkId, String device, String requestId) {
        return CreatePortRequest.newBuilder().setProjectId(project).setNetworkId(networkId).setDeviceId(device)
                .setRequestId(requestId).build();
    }

    @Test
    void aRetryWithTheSameRequestIdAnswersTheFirstPort() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.50.0.0/24", false);
        CreatePortRequest r = request(project, n.getId(), "i-retry", newRequestId());
        Port first = call(stub).createPort(r);
        Port retry = call(stub).createPort(r);
        assertEquals(first, retry);
        assertEquals(1, count(dataSource, "SELECT count(*) FROM ports WHERE network_id = ?", n.getId()));
        assertEquals("10.50.0.3", port(stub, project, n.getId(), "").getIpAddress(), "the retry used no address");
    }

    @Test
    void theSameRequestIdInAnotherProjectIsAnotherRequest() {
        String a = newProject();
        String b = newProject();
        Network na = networkWithSubnet(stub, a, "10.51.0.0/24", false);
        Network nb = networkWithSubnet(stub, b, "10.51.0.0/24", false);
        String requestId = newRequestId();
        Port pa = call(stub).createPort(request(a, na.getId(), "", requestId));
        Port pb = call(stub).createPort(request(b, nb.getId(), "", requestId));
        assertNotEquals(pa.getId(), pb.getId());
    }

    @Test
    void concurrentCallsWithOneRequestIdMakeOnePort() throws Exception {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.52.0.0/24", false);
        CreatePortRequest r = request(project, n.getId(), "i-dup", newRequestId());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Port>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call(stub).createPort(r);
                }));
            }
            start.countDown();
            Set<String> ids = new java.util.HashSet<>();
            for (Future<Port> f : futures) {
                ids.add(f.get(60, TimeUnit.SECONDS).getId());
            }
            assertEquals(1, ids.size(), "every caller got the same port");
            assertEquals(1, count(dataSource, "SELECT count(*) FROM ports WHERE network_id = ?", n.getId()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reusingARequestIdForADifferentPortIsAlreadyExists() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.53.0.0/24", false);
        String requestId = newRequestId();
        Port first = call(stub).createPort(request(project, n.getId(), "i-a", requestId));
        StatusRuntimeException e = fails(Status.Code.ALREADY_EXISTS,
                () -> call(stub).createPort(request(project, n.getId(), "i-b", requestId)));
        assertTrue(e.getStatus().getDescription().contains("already used for port " + first.getId()));
    }

    @Test
    void aLateRetryAfterTheDeleteDoesNotResurrectThePort() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.54.0.0/24", false);
        CreatePortRequest r = request(project, n.getId(), "i-gone", newRequestId());
        Port first = call(stub).createPort(r);
        call(stub).deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(project)
                .setDeviceId("i-gone").build());
        StatusRuntimeException e = fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).createPort(r));
        assertEquals("request_id " + r.getRequestId() + " made port " + first.getId()
                + ", which has been deleted since; use a new request_id", e.getStatus().getDescription());
        assertEquals(0, count(dataSource, "SELECT count(*) FROM ports WHERE network_id = ?", n.getId()));
    }

    @Test
    void aRefusedRequestLeavesItsRequestIdFree() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.55.0.0/30", false);
        port(stub, project, n.getId(), "i-first");
        CreatePortRequest r = request(project, n.getId(), "i-second", newRequestId());
        fails(Status.Code.RESOURCE_EXHAUSTED, () -> call(stub).createPort(r));
        call(stub).deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(project)
                .setDeviceId("i-first").build());
        assertEquals("10.55.0.2", call(stub).createPort(r).getIpAddress(), "the retry succeeds once room exists");
    }

    @Test
    void deletePortIsIdempotentAndFreesTheAddress() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.56.0.0/30", false);
        Port p = port(stub, project, n.getId(), "");
        DeletePortRequest delete = DeletePortRequest.newBuilder().setProjectId(project).setId(p.getId()).build();
        assertEquals(1, call(stub).deletePort(delete).getDeleted());
        assertEquals(0, call(stub).deletePort(delete).getDeleted());
        assertEquals(0, call(stub).deletePort(DeletePortRequest.newBuilder().setProjectId(project)
                .setId("p-doesnotexist").build()).getDeleted());
        fails(Status.Code.NOT_FOUND, () -> call(stub).getPort(GetPortRequest.newBuilder().setProjectId(project)
                .setId(p.getId()).build()));
        assertEquals("10.56.0.2", port(stub, project, n.getId(), "").getIpAddress());
    }

    @Test
    void deletePortsByDeviceDeletesOnlyThatDevicesPorts() {
        String project = newProject();
        Network n1 = networkWithSubnet(stub, project, "10.57.0.0/24", false);
        Network n2 = networkWithSubnet(stub, project, "10.58.0.0/24", false);
        port(stub, project, n1.getId(), "i-x");
        port(stub, project, n2.getId(), "i-x");
        Port other = port(stub, project, n1.getId(), "i-y");
        Port unbound = port(stub, project, n1.getId(), "");
        assertEquals(2, call(stub).listPorts(ListPortsRequest.newBuilder().setProjectId(project).setDeviceId("i-x")
                .build()).getPortsCount());

        DeletePortsByDeviceRequest r = DeletePortsByDeviceRequest.newBuilder().setProjectId(project)
                .setDeviceId("i-x").build();
        assertEquals(2, call(stub).deletePortsByDevice(r).getDeleted());
        assertEquals(0, call(stub).deletePortsByDevice(r).getDeleted());
        assertEquals(Set.of(other.getId(), unbound.getId()), call(stub).listPorts(ListPortsRequest.newBuilder()
                .setProjectId(project).build()).getPortsList().stream().map(Port::getId).collect(Collectors.toSet()));
        assertEquals(List.of(other.getId(), unbound.getId()), call(stub).listPorts(ListPortsRequest.newBuilder()
                .setProjectId(project).setNetworkId(n1.getId()).build()).getPortsList().stream().map(Port::getId)
                .toList());
        assertEquals("device_id: required", fails(Status.Code.INVALID_ARGUMENT, () -> call(stub)
                .deletePortsByDevice(DeletePortsByDeviceRequest.newBuilder().setProjectId(project).build()))
                .getStatus().getDescription());
    }

    @Test
    void aMacCollisionIsRetriedWithAnotherMac() {
        String project = newProject();
        Network n = networkWithSubnet(stub, project, "10.59.0.0/24", false);
        Port first = port(stub, project, n.getId(), "");
        macs.script(first.getMacAddress(), first.getMacAddress());
        Port second = port(stub, project, n.getId(), "");
        assertNotEquals(first.getMacAddress(), second.getMacAddress());
        assertEquals(3, macs.handedOut(), "two collisions, then a fresh MAC");
        assertEquals("10.59.0.3", second.getIpAddress());
    }
}
