package io.virga.scheduler.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.platform.ids.Ids;
import io.virga.platform.outbox.Outbox;
import io.virga.scheduler.SchedulerConfig;
import io.virga.scheduler.filter.Filters;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.HostCache;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.select.Selector;
import io.virga.scheduler.testing.Infra;
import io.virga.scheduler.weigh.Ranking;
import io.virga.scheduler.weigh.RamWeigher;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Rule 3: no over-allocation, ever. One host has room for exactly K
 * instances; 16 requests race for it from 16 threads, through the gRPC
 * server and through a second scheduler "replica" with its own connections.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_scheduler"))
class ClaimRaceTest {
    private static final int K = 5;
    private static final int RACERS = 16;
    private static final long RAM_PER_INSTANCE = 1024;

    @GrpcClient("self")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @Inject
    DataSource dataSource;
    @Inject
    SchedulerConfig config;
    @ConfigProperty(name = "virga.kafka.bootstrap-servers")
    String bootstrap;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private Infra infra;
    private ExecutorService pool;
    private String hostId;
    private ClaimService replica;

    @BeforeEach
    void oneHostWithRoomForK() {
        infra = new Infra(dataSource, bootstrap);
        infra.clean();
        pool = Executors.newFixedThreadPool(RACERS);
        hostId = Ids.newId("h");
        // RAM is the binding resource: exactly K instances fit (vCPUs 64 × 4.0, disk plenty)
        infra.reportAndAwait(Infra.report(hostId, "last-slots", 64, K * RAM_PER_INSTANCE, 10_000).build());
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
        if (replica != null) {
            replica.close();
            replica = null;
        }
    }

    @RepeatedTest(3)
    void sixteenConcurrentGrpcClaimsWinExactlyK() throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            racers.add(() -> {
                start.await(1, TimeUnit.MINUTES);
                return viaGrpc();
            });
        }
        assertExactlyK(run(racers));
    }

    @RepeatedTest(3)
    void twoReplicasOnSeparateConnectionPoolsNeverBothWinTheLastSlot() throws Exception {
        ClaimService replica = replica();
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            boolean viaReplica = i % 2 == 1;
            racers.add(() -> {
                start.await(1, TimeUnit.MINUTES);
                return viaReplica ? viaReplica(replica) : viaGrpc();
            });
        }
        assertExactlyK(run(racers));
    }

    @RepeatedTest(2)
    void concurrentRetriesOfOneConsumerHoldExactlyOneClaim() throws Exception {
        infra.reportAndAwait(Infra.report(Ids.newId("h"), "roomy-1", 64, 65536, 10_000).build(),
                Infra.report(Ids.newId("h"), "roomy-2", 64, 65536, 10_000).build());
        ClaimService replica = replica();
        String consumer = Ids.newId("i");
        CyclicBarrier start = new CyclicBarrier(8);
        List<Callable<String>> retries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean viaReplica = i % 2 == 1;
            retries.add(() -> {
                start.await(1, TimeUnit.MINUTES);
                if (viaReplica) {
                    return ((ClaimOutcome.Claimed) replica.selectAndClaim(new PlacementRequest(consumer, "pr-race",
                            new io.virga.scheduler.host.Resources(2, 2048, 20), "", Set.of(), Set.of(), 0)))
                            .claim().hostId();
                }
                return scheduler.selectAndClaim(SelectRequest.newBuilder().setConsumerId(consumer)
                        .setProjectId("pr-race")
                        .setResources(Resources.newBuilder().setVcpus(2).setRamMb(2048).setDiskGb(20))
                        .build()).getClaim().getHostId();
            });
        }
        Set<String> hosts = new java.util.HashSet<>();
        for (Future<String> f : pool.invokeAll(retries, 60, TimeUnit.SECONDS)) {
            hosts.add(f.get());
        }
        assertEquals(1, hosts.size(), "every retry sees the same claim: " + hosts);
        assertEquals(1, infra.queryLong("SELECT count(*) FROM allocations WHERE consumer_id = ?", consumer));
        assertEquals(2048, infra.queryLong("SELECT coalesce(sum(used), 0) FROM inventories WHERE resource_class = 'MEMORY_MB'"));
        assertEquals(2, infra.queryLong("SELECT coalesce(sum(used), 0) FROM inventories WHERE resource_class = 'VCPU'"));
    }

    private ClaimService replica() {
        PGSimpleDataSource replicaDb = new PGSimpleDataSource();
        replicaDb.setURL(jdbcUrl);
        replicaDb.setUser(user);
        replicaDb.setPassword(password);
        replica = new ClaimService(new HostCache(new HostStore(replicaDb, config.ratios())),
                new ClaimStore(replicaDb, new Outbox(null), "/virga/scheduler-svc-replica-2"),
                new GroupStore(replicaDb),
                new Selector(Filters.standard(config.ratios(), config.hostTimeout(), Clock.systemUTC()),
                        new Ranking(List.of(new RamWeigher(config.ratios())))),
                new ClaimMetrics(new SimpleMeterRegistry()),
                new ClaimService.Settings(config.claimAttempts(), config.sampleSize(), config.maxBatch()));
        return replica;
    }

    /** @return true when claimed, false when unschedulable (anything else fails the test) */
    private boolean viaGrpc() {
        SelectResponse r = scheduler.selectAndClaim(SelectRequest.newBuilder()
                .setConsumerId(Ids.newId("i"))
                .setProjectId("pr-race")
                .setResources(Resources.newBuilder().setVcpus(1).setRamMb(RAM_PER_INSTANCE).setDiskGb(1))
                .build());
        if (r.hasUnschedulable()) {
            assertTrue(r.getUnschedulable().getMessage().startsWith("no host has 1 GiB free RAM"),
                    r.getUnschedulable().getMessage());
        }
        return r.hasClaim();
    }

    private static boolean viaReplica(ClaimService replica) {
        ClaimOutcome outcome = replica.selectAndClaim(new PlacementRequest(Ids.newId("i"), "pr-race",
                new io.virga.scheduler.host.Resources(1, RAM_PER_INSTANCE, 1), "", Set.of(), Set.of(), 0));
        if (outcome instanceof ClaimOutcome.Unschedulable u) {
            assertEquals("RamFilter", u.why().bindingFilter());
            return false;
        }
        return ((ClaimOutcome.Claimed) outcome).claim() != null;
    }

    private List<Boolean> run(List<Callable<Boolean>> racers) throws Exception {
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> f : pool.invokeAll(racers, 60, TimeUnit.SECONDS)) {
            results.add(f.get());
        }
        return results;
    }

    private void assertExactlyK(List<Boolean> results) {
        assertEquals(K, results.stream().filter(b -> b).count(), "claims won: " + results);
        assertEquals(RACERS - K, results.stream().filter(b -> !b).count());
        assertEquals(K, infra.queryLong("SELECT count(*) FROM allocations WHERE host_id = ?", hostId));
        assertEquals(K * RAM_PER_INSTANCE, infra.used(hostId, "MEMORY_MB"));
        assertEquals(infra.allocated(hostId, "MEMORY_MB"), infra.used(hostId, "MEMORY_MB"));
        assertEquals(infra.allocated(hostId, "VCPU"), infra.used(hostId, "VCPU"));
        assertEquals(infra.allocated(hostId, "DISK_GB"), infra.used(hostId, "DISK_GB"));
        assertEquals(0, infra.brokenInventories());
    }
}
