package io.virga.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.virga.scheduler.claim.ClaimMetrics;
import io.virga.scheduler.claim.ClaimService;
import io.virga.scheduler.claim.ClaimStore;
import io.virga.scheduler.filter.Filters;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.HostCache;
import io.virga.scheduler.host.HostAdmin;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.host.LivenessClock;
import io.virga.scheduler.aggregate.AggregateStore;
import io.virga.scheduler.select.Selector;
import io.virga.scheduler.weigh.HostWeigher;
import io.virga.scheduler.weigh.Ranking;
import io.virga.scheduler.weigh.ResourceWeigher;
import io.virga.scheduler.weigh.ServerGroupWeigher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Builds the plain-Java scheduler parts from configuration. */
@Singleton
public class Wiring {
    private final java.util.concurrent.ScheduledExecutorService resync =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "host-cache-resync");
                t.setDaemon(true);
                return t;
            });
    private ClaimService claimService;

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Host liveness: the wall clock unless this replica is deaf (no fresh report from any host). */
    @Produces
    @Singleton
    @jakarta.enterprise.inject.Typed(LivenessClock.class)
    LivenessClock livenessClock(HostStore hosts, SchedulerConfig config) {
        LivenessClock liveness = new LivenessClock(Clock.systemUTC(), config.hostTimeout(), config.deafLimit(),
                hosts::newestHeartbeat);
        Runnable refresh = () -> {
            try {
                liveness.refresh();
            } catch (RuntimeException e) {
                org.jboss.logging.Logger.getLogger(Wiring.class).debugf("newest heartbeat unread: %s", e.getMessage());
            }
        };
        refresh.run();
        resync.scheduleWithFixedDelay(refresh, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return liveness;
    }

    @Produces
    @Singleton
    HostStore hostStore(DataSource dataSource, SchedulerConfig config) {
        return new HostStore(dataSource, config.ratios());
    }

    @Produces
    @Singleton
    HostCache hostCache(HostStore hosts, SchedulerConfig config) {
        HostCache cache = new HostCache(hosts);
        long every = config.cacheResync().toMillis();
        resync.scheduleWithFixedDelay(() -> {
            try {
                cache.resync();
            } catch (RuntimeException e) {
                org.jboss.logging.Logger.getLogger(Wiring.class).warnf("host cache resync failed: %s", e.getMessage());
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        return cache;
    }

    @Produces
    @Singleton
    HostAdmin hostAdmin(DataSource dataSource) {
        return new HostAdmin(dataSource);
    }

    @Produces
    @Singleton
    AggregateStore aggregateStore(DataSource dataSource) {
        return new AggregateStore(dataSource);
    }

    @Produces
    @Singleton
    GroupStore groupStore(DataSource dataSource) {
        return new GroupStore(dataSource);
    }

    @Produces
    @Singleton
    Selector selector(SchedulerConfig config, LivenessClock clock) {
        return new Selector(Filters.standard(config.ratios(), config.hostTimeout(), clock),
                new Ranking(weighers(config.weights(), config.serverGroupWeight())));
    }

    /** "MEMORY_MB:1.0,VCPU:-0.5" → a resource weigher per class, then the server-group weigher. */
    public static List<HostWeigher> weighers(String spec, double groupWeight) {
        List<HostWeigher> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.strip().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("virga.scheduler.weights: expected CLASS:multiplier, got " + part);
            }
            out.add(new ResourceWeigher(kv[0].strip(), Double.parseDouble(kv[1].strip())));
        }
        out.add(new ServerGroupWeigher(groupWeight));
        return out;
    }

    @Produces
    @Singleton
    ClaimMetrics claimMetrics(MeterRegistry registry) {
        return new ClaimMetrics(registry);
    }

    @Produces
    @Singleton
    ClaimService claimService(DataSource dataSource, Eventing eventing, HostCache cache, GroupStore groups,
                              Selector selector, SchedulerConfig config, ClaimMetrics metrics) {
        ClaimStore store = new ClaimStore(dataSource, eventing.get().outbox(), eventing.get().source());
        claimService = new ClaimService(cache, store, groups, selector, metrics,
                new ClaimService.Settings(config.claimAttempts(), config.sampleSize(), config.maxBatch()));
        return claimService;
    }

    @PreDestroy
    void close() {
        resync.shutdownNow();
        if (claimService != null) {
            claimService.close();
        }
    }
}
