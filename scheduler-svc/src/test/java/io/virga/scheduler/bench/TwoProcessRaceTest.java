package io.virga.scheduler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.virga.contracts.scheduler.v1.AggregateHostRequest;
import io.virga.contracts.scheduler.v1.CreateServerGroupRequest;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The proof of the issue: two scheduler-svc processes on one database and
 * many concurrent requests (half to each) fill the last slots of a small
 * cluster, of an anti-affinity group and of an affinity group. Afterwards
 * no inventory row is over its capacity × ratio or differs from its
 * allocation rows, no group policy is broken, and every request got a host
 * or a clean "no valid host". Needs the packaged service
 * ({@code bench/run scheduler-race} builds it, then runs this with
 * {@code -Dvirga.race=true}).
 */
@EnabledIfSystemProperty(named = "virga.race", matches = "true")
class TwoProcessRaceTest {
    private static final String DB = "vp_race";
    private static BenchCloud cloud;
    private static List<ManagedChannel> channels = new ArrayList<>();
    private static List<SchedulerServiceGrpc.SchedulerServiceBlockingStub> replicas = new ArrayList<>();
    private static List<SchedulerServiceGrpc.SchedulerServiceFutureStub> async = new ArrayList<>();

    @BeforeAll
    static void twoReplicas() throws Exception {
        cloud = new BenchCloud(false);
        cloud.startReplicas(DB, 1);
        cloud.stopReplicas();
        for (BenchCloud.Replica r : cloud.startReplicas(DB, 2, "virga.scheduler.host-timeout=2h")) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
            channels.add(ch);
            replicas.add(SchedulerServiceGrpc.newBlockingStub(ch));
            async.add(SchedulerServiceGrpc.newFutureStub(ch));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void lastSlotsOfACluster_thenOfAnAntiAffinityGroup_thenAnAffinityGroup() throws Exception {
        // 1. three hosts with room for exactly 4 instances each (RAM binds): 40 racers, 12 win
        addHosts("small", 3, 4 * 1024);
        List<SelectResponse> answers = race(40, i -> base("small-" + i).build());
        assertEquals(12, answers.stream().filter(SelectResponse::hasClaim).count(), "claims: " + summary(answers));
        for (SelectResponse r : answers) {
            if (r.hasUnschedulable()) {
                assertTrue(r.getUnschedulable().getMessage().startsWith("no host has 1 GiB free RAM"),
                        r.getUnschedulable().getMessage());
            }
        }
        assertEquals(0, brokenInventories());

        // 2. five roomy hosts in their own zone, one anti-affinity group: 12 racers, 5 win, one per host
        addHosts("anti", 5, 64 * 1024);
        String zone = "race-anti";
        var agg = replicas.get(0).createAggregate(io.virga.contracts.scheduler.v1.Aggregate.newBuilder()
                .setName("race-anti").setAvailabilityZone(zone).build());
        for (int i = 1; i <= 5; i++) {
            replicas.get(1).addAggregateHost(AggregateHostRequest.newBuilder().setAggregateId(agg.getId())
                    .setHostId("h-anti-" + i).build());
        }
        String group = replicas.get(0).createServerGroup(CreateServerGroupRequest.newBuilder().setName("spread")
                .setProjectId("pr-race").setPolicy("anti-affinity").build()).getId();
        answers = race(12, i -> base("anti-" + i).setAvailabilityZone(zone).setServerGroupId(group).build());
        List<SelectResponse> won = answers.stream().filter(SelectResponse::hasClaim).toList();
        assertEquals(5, won.size(), "claims: " + summary(answers));
        Set<String> hosts = new HashSet<>();
        won.forEach(r -> hosts.add(r.getClaim().getHostId()));
        assertEquals(5, hosts.size(), "anti-affinity broken: " + summary(answers));
        for (SelectResponse r : answers) {
            if (r.hasUnschedulable()) {
                assertTrue(r.getUnschedulable().getMessage().contains(group), r.getUnschedulable().getMessage());
            }
        }
        assertEquals(0, queryLong("SELECT count(*) FROM (SELECT host_id FROM allocations WHERE server_group_id = '"
                + group + "' GROUP BY host_id HAVING count(*) > 1) x"));

        // 3. an affinity group on the same zone's hosts: 6 racers, all on one host
        String together = replicas.get(1).createServerGroup(CreateServerGroupRequest.newBuilder()
                .setName("together").setProjectId("pr-race").setPolicy("affinity").build()).getId();
        answers = race(6, i -> base("aff-" + i).setAvailabilityZone(zone).setServerGroupId(together).build());
        Set<String> affinityHosts = new HashSet<>();
        answers.forEach(r -> {
            if (r.hasClaim()) {
                affinityHosts.add(r.getClaim().getHostId());
            }
        });
        assertEquals(6, answers.stream().filter(SelectResponse::hasClaim).count(), summary(answers));
        assertEquals(1, affinityHosts.size(), "affinity broken: " + summary(answers));
        assertEquals(0, brokenInventories());
    }

    private static SelectRequest.Builder base(String consumer) {
        return SelectRequest.newBuilder().setConsumerId("i-" + consumer).setProjectId("pr-race")
                .setResources(Resources.newBuilder().setVcpus(1).setRamMb(1024).setDiskGb(1));
    }

    /** Sends all requests at once, alternating replicas; every one must get an answer (claim or unschedulable). */
    private static List<SelectResponse> race(int n, java.util.function.IntFunction<SelectRequest> request)
            throws Exception {
        List<Future<SelectResponse>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(async.get(i % 2).withDeadlineAfter(60, TimeUnit.SECONDS).selectAndClaim(request.apply(i)));
        }
        List<SelectResponse> out = new ArrayList<>();
        for (Future<SelectResponse> f : calls) {
            SelectResponse r = f.get(90, TimeUnit.SECONDS);
            assertTrue(r.hasClaim() || r.hasUnschedulable(), "neither claim nor no-valid-host: " + r);
            out.add(r);
        }
        return out;
    }

    private static String summary(List<SelectResponse> answers) {
        return answers.stream().map(r -> r.hasClaim() ? r.getClaim().getHostId()
                : "unschedulable(" + r.getUnschedulable().getMessage() + ")").toList().toString();
    }

    private static void addHosts(String prefix, int n, long ramMb) throws Exception {
        try (Connection c = cloud.connect(DB)) {
            BenchCloud.sql(c, """
                    INSERT INTO hosts (id, name, hypervisor_type, compute_endpoint, traits, last_heartbeat_at)
                    SELECT 'h-%1$s-' || g, '%1$s-' || g, 'sim', '127.0.0.1:1', '{}', now()
                      FROM generate_series(1, %2$d) g
                    """.formatted(prefix, n), """
                    INSERT INTO inventories (host_id, resource_class, total, max_unit, allocation_ratio)
                    SELECT h.id, v.rc, v.total, v.total, v.ratio FROM hosts h,
                           (VALUES ('VCPU', 64, 4.0::float8), ('MEMORY_MB', %d, 1.0), ('DISK_GB', 1000, 1.0))
                           AS v(rc, total, ratio)
                     WHERE h.id LIKE 'h-%s-%%'
                    """.formatted(ramMb, prefix));
        }
    }

    private static long brokenInventories() throws Exception {
        return queryLong("""
                SELECT count(*) FROM inventories i
                 WHERE i.used > floor(greatest(i.total - i.reserved, 0) * i.allocation_ratio)
                    OR i.used <> (SELECT coalesce(sum(r.amount), 0) FROM allocation_resources r
                                    JOIN allocations a ON a.consumer_id = r.consumer_id
                                   WHERE a.host_id = i.host_id AND r.resource_class = i.resource_class)
                """);
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = cloud.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
