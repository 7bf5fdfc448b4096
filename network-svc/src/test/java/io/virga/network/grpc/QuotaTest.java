package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.GetNetworkQuotasRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkQuota;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.SetNetworkQuotaRequest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.network.testing.Calls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Quotas of network resources hold under concurrent creates. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class QuotaTest {
    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    private void limit(String p, String resource, int max) {
        call(stub).setNetworkQuota(SetNetworkQuotaRequest.newBuilder().setProjectId(p).setResource(resource)
                .setLimit(max).build());
    }

    private NetworkQuota quota(String p, String resource) {
        return call(stub).getNetworkQuotas(GetNetworkQuotasRequest.newBuilder().setProjectId(p).build())
                .getQuotasList().stream().filter(q -> q.getResource().equals(resource)).findFirst().orElseThrow();
    }

    /** Runs {@code n} calls at once; answers how many succeeded, failing on anything but RESOURCE_EXHAUSTED. */
    private static int concurrently(int n, Callable<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            int ok = 0;
            for (Future<Object> f : futures) {
                try {
                    f.get();
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    StatusRuntimeException s = (StatusRuntimeException) e.getCause();
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getStatus().getCode(), s.getMessage());
                    assertTrue(s.getStatus().getDescription().startsWith("quota exceeded for"));
                }
            }
            return ok;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentNetworkCreatesNeverPassTheLimit() throws Exception {
        String p = newProject();
        limit(p, "networks", 3);
        int ok = concurrently(8, () -> call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(p)
                .setName("q").build()));
        assertEquals(3, ok);
        assertEquals(3, quota(p, "networks").getUsed());
    }

    @Test
    void concurrentPortCreatesNeverPassTheLimit() throws Exception {
        String p = newProject();
        Network n = networkWithSubnet(stub, p, "10.95.0.0/24", false);
        limit(p, "ports", 4);
        int ok = concurrently(10, () -> Calls.port(stub, p, n.getId(), ""));
        assertEquals(4, ok);
        assertEquals(4, quota(p, "ports").getUsed());
        assertEquals(4, quota(p, "ports").getLimit());
    }

    @Test
    void unknownResourcesAndNegativeLimitsAreRefused() {
        String p = newProject();
        assertTrue(fails(Status.Code.INVALID_ARGUMENT, () -> limit(p, "volumes", 3)).getStatus().getDescription()
                .startsWith("resource: unknown resource 'volumes'"));
        assertEquals("limit: must be -1 (unlimited) or more, got -2",
                fails(Status.Code.INVALID_ARGUMENT, () -> limit(p, "ports", -2)).getStatus().getDescription());
        limit(p, "security_groups", -1);
        assertEquals(-1, quota(p, "security_groups").getLimit());
    }
}
