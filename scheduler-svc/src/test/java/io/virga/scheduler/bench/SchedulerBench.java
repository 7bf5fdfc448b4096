package io.virga.scheduler.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code bench/run scheduler}: committed placements per second at 100, 1,000
 * and 10,000 simulated hosts (inventory rows inserted directly, no processes)
 * with 1 and 2 scheduler-svc replicas (separate processes on one durable
 * PostgreSQL). A closed loop of {@code concurrency} in-flight SelectAndClaim
 * calls (round-robin over the replicas) runs for {@code seconds} after a
 * warm-up; latency is the client's, from send to the answer, which the
 * service gives only after the claim committed. Over-allocations are counted
 * in SQL afterwards. Runs only with {@code -Dvirga.bench=true}.
 *
 * <p>Knobs (system properties): virga.bench.sizes (100,1000,10000),
 * virga.bench.replicas (1,2), virga.bench.seconds (8), virga.bench.concurrency (24).
 */
@EnabledIfSystemProperty(named = "virga.bench", matches = "true")
class SchedulerBench {
    private static final String OVERALLOCATED = """
            SELECT count(*) FROM inventories i
             WHERE i.used > floor(greatest(i.total - i.reserved, 0) * i.allocation_ratio)
                OR i.used <> (SELECT coalesce(sum(r.amount), 0) FROM allocation_resources r
                                JOIN allocations a ON a.consumer_id = r.consumer_id
                               WHERE a.host_id = i.host_id AND r.resource_class = i.resource_class)
            """;

    @Test
    void placementsPerSecond() throws Exception {
        int[] sizes = ints(System.getProperty("virga.bench.sizes", "100,1000,10000"));
        int[] replicaCounts = ints(System.getProperty("virga.bench.replicas", "1,2"));
        int seconds = Integer.getInteger("virga.bench.seconds", 8);
        int concurrency = Integer.getInteger("virga.bench.concurrency", 24);
        List<String> lines = new ArrayList<>();
        try (BenchCloud cloud = new BenchCloud(true)) {
            for (int hosts : sizes) {
                for (int replicas : replicaCounts) {
                    String db = "vp_bench_" + hosts + "_" + replicas;
                    try (Connection c = cloud.connect(db)) {
                        cloud.startReplicas(db, 1);   // migrates the fresh database
                        cloud.stopReplicas();
                        insertHosts(c, hosts);
                    }
                    List<BenchCloud.Replica> started = cloud.startReplicas(db, replicas,
                            "virga.scheduler.host-timeout=2h");
                    String line = run(started, hosts, seconds, concurrency, cloud, db);
                    System.out.println(line);
                    lines.add(line);
                    cloud.stopReplicas();
                }
            }
        }
        Path out = BenchCloud.repoRoot().resolve("scheduler-svc/target/bench-scheduler.txt");
        Files.write(out, lines);
        System.out.println("\n" + String.join("\n", lines));
    }

    private static String run(List<BenchCloud.Replica> replicas, int hosts, int seconds, int concurrency,
                              BenchCloud cloud, String db) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        List<SchedulerServiceGrpc.SchedulerServiceFutureStub> stubs = new ArrayList<>();
        for (BenchCloud.Replica r : replicas) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
            channels.add(ch);
            stubs.add(SchedulerServiceGrpc.newFutureStub(ch));
        }
        try {
            drive(stubs, 2, concurrency, "warm", null);   // warm-up: JIT, connection pools, caches
            Stats stats = new Stats();
            long t0 = System.nanoTime();
            drive(stubs, seconds, concurrency, "run", stats);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long over;
            try (Connection c = cloud.connect(db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(OVERALLOCATED)) {
                rs.next();
                over = rs.getLong(1);
            }
            long[] lat = stats.latencies();
            return String.format(Locale.ROOT, "hosts=%d replicas=%d placements_per_s=%.0f p50_ms=%.2f p99_ms=%.2f"
                            + " overallocations=%d claimed=%d unschedulable=%d errors=%d concurrency=%d seconds=%d",
                    hosts, replicas.size(), stats.claimed.get() / elapsed, pct(lat, 0.50), pct(lat, 0.99), over,
                    stats.claimed.get(), stats.unschedulable.get(), stats.errors.get(), concurrency, seconds);
        } finally {
            for (ManagedChannel ch : channels) {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static final class Stats {
        final AtomicLong claimed = new AtomicLong();
        final AtomicLong unschedulable = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        private final List<Long> latencies = new ArrayList<>();

        synchronized void latency(long nanos) {
            latencies.add(nanos);
        }

        synchronized long[] latencies() {
            long[] a = latencies.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            return a;
        }
    }

    /** A closed loop: at most {@code concurrency} calls in flight for {@code seconds}. */
    private static void drive(List<SchedulerServiceGrpc.SchedulerServiceFutureStub> stubs, int seconds,
                              int concurrency, String prefix, Stats stats) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long n = 0;
        String run = prefix + "-" + Long.toHexString(System.nanoTime());
        while (System.nanoTime() < end) {
            inFlight.acquire();
            SelectRequest req = SelectRequest.newBuilder()
                    .setConsumerId(run + "-" + n)
                    .setProjectId("pr-bench")
                    .setResources(Resources.newBuilder().setVcpus(1).setRamMb(512).setDiskGb(1))
                    .setAlternates(2)
                    .build();
            var stub = stubs.get((int) (n % stubs.size())).withDeadlineAfter(30, TimeUnit.SECONDS);
            n++;
            long start = System.nanoTime();
            Futures.addCallback(stub.selectAndClaim(req), new FutureCallback<SelectResponse>() {
                @Override
                public void onSuccess(SelectResponse r) {
                    if (stats != null) {
                        stats.latency(System.nanoTime() - start);
                        (r.hasClaim() ? stats.claimed : stats.unschedulable).incrementAndGet();
                    }
                    inFlight.release();
                }

                @Override
                public void onFailure(Throwable t) {
                    if (stats != null) {
                        stats.errors.incrementAndGet();
                        if (stats.errors.get() < 5) {
                            System.err.println("bench call failed: " + t);
                        }
                    }
                    inFlight.release();
                }
            }, MoreExecutors.directExecutor());
        }
        inFlight.acquire(concurrency);   // drain
        inFlight.release(concurrency);
    }

    /** Hosts with 64 vCPUs (x4), 256 GiB RAM and 2 TB disk each: room for 256 requests per host. */
    private static void insertHosts(Connection c, int n) throws Exception {
        BenchCloud.sql(c, """
                INSERT INTO hosts (id, name, hypervisor_type, compute_endpoint, traits, last_heartbeat_at)
                SELECT 'h-' || lpad(g::text, 6, '0'), 'sim-' || lpad(g::text, 6, '0'), 'sim', '127.0.0.1:1',
                       '{COMPUTE_GUEST_VM}', now()
                  FROM generate_series(1, %d) g
                """.formatted(n), """
                INSERT INTO inventories (host_id, resource_class, total, max_unit, allocation_ratio)
                SELECT h.id, v.rc, v.total, v.total, v.ratio FROM hosts h,
                       (VALUES ('VCPU', 64, 4.0::float8), ('MEMORY_MB', 262144, 1.0), ('DISK_GB', 2000, 1.0))
                       AS v(rc, total, ratio)
                """, "ANALYZE");
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }
}
