package io.virga.scheduler.grpc;

import static io.virga.scheduler.grpc.SelectAndClaimTest.select;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.TransferClaimRequest;
import io.virga.contracts.scheduler.v1.TransferClaimResponse;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.testing.Infra;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim moves of a migration: a destination claim held under the
 * migration's id (requested host, source excluded), given to the instance on
 * confirm (TransferClaim) so that exactly one claim per instance remains.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class TransferClaimTest {
    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;

    private Infra infra;
    private String source;
    private String dest;

    @BeforeEach
    void hosts() {
        infra = new Infra(dataSource, bootstrap);
        infra.clean();
        source = Ids.newId("h");
        dest = Ids.newId("h");
        infra.reportAndAwait(Infra.report(source, "host-1", 8, 16384, 100).build(),
                Infra.report(dest, "host-2", 8, 8192, 100).build());
    }

    private TransferClaimResponse transfer(String from, String to) {
        return scheduler.transferClaim(TransferClaimRequest.newBuilder().setFromConsumerId(from)
                .setToConsumerId(to).build());
    }

    @Test
    void confirmingAMoveLeavesOneClaimOnTheDestinationAndIsIdempotent() {
        String instance = Ids.newId("i");
        String migration = Ids.newId("mig");
        assertEquals(source, scheduler.selectAndClaim(select(instance, 2, 2048, 10).build()).getClaim().getHostId());
        SelectResponse destClaim = scheduler.selectAndClaim(select(migration, 4, 4096, 20).addExcludedHosts(source)
                .build());
        assertEquals(dest, destClaim.getClaim().getHostId());
        assertEquals(2, infra.queryLong("SELECT count(*) FROM allocations"));

        TransferClaimResponse done = transfer(migration, instance);
        assertTrue(done.getTransferred());
        assertEquals(source, done.getReleasedHostId());
        assertEquals(dest, done.getClaim().getHostId());
        assertEquals(instance, done.getClaim().getConsumerId());
        assertEquals(4, done.getClaim().getResources().getVcpus());
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations"));
        assertEquals(0, infra.queryLong("SELECT sum(used) FROM inventories WHERE host_id = ?",
                source));
        assertEquals(4096, infra.used(dest, "MEMORY_MB"));

        TransferClaimResponse again = transfer(migration, instance);
        assertFalse(again.getTransferred());
        assertEquals(dest, again.getClaim().getHostId());
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations"));
        assertEquals(4096, infra.used(dest, "MEMORY_MB"));
    }

    @Test
    void twoRacingTransfersMoveTheClaimOnce() throws Exception {
        String instance = Ids.newId("i");
        String migration = Ids.newId("mig");
        scheduler.selectAndClaim(select(instance, 1, 1024, 1).build());
        scheduler.selectAndClaim(select(migration, 1, 1024, 1).addExcludedHosts(source).build());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                calls.add(() -> transfer(migration, instance).getTransferred());
            }
            long won = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations WHERE consumer_id = ?", instance));
        assertEquals(1024, infra.queryLong("SELECT coalesce(sum(used), 0) FROM inventories WHERE resource_class = 'MEMORY_MB'"));
    }

    @Test
    void aRequestedHostIsTheOnlyCandidateAndANonFittingOneIsNamed() {
        String instance = Ids.newId("i");
        SelectResponse onDest = scheduler.selectAndClaim(select(instance, 1, 1024, 1).setRequestedHost(dest).build());
        assertEquals(dest, onDest.getClaim().getHostId(), "host-1 has more free RAM but host-2 was requested");
        SelectResponse excluded = scheduler.selectAndClaim(select(Ids.newId("mig"), 1, 1024, 1)
                .setRequestedHost(dest).addExcludedHosts(dest).build());
        assertTrue(excluded.hasUnschedulable());
        assertTrue(excluded.getUnschedulable().getMessage().contains("excluded"),
                excluded.getUnschedulable().getMessage());
        SelectResponse unknown = scheduler.selectAndClaim(select(Ids.newId("mig"), 1, 1024, 1)
                .setRequestedHost("h-nosuchhost0").build());
        assertEquals("the requested host h-nosuchhost0 is not a known compute host",
                unknown.getUnschedulable().getMessage());
    }

    @Test
    void aTransferToItselfOrWithoutIdsIsInvalid() {
        StatusRuntimeException same = assertThrows(StatusRuntimeException.class, () -> transfer("i-1", "i-1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, same.getStatus().getCode());
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class, () -> transfer("", "i-1"));
        assertEquals("from_consumer_id: is required", empty.getStatus().getDescription());
    }
}
