package io.virga.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.virga.scheduler.claim.ClaimMetrics;
import io.virga.scheduler.claim.ClaimService;
import io.virga.scheduler.claim.ClaimStore;
import io.virga.scheduler.filter.Filters;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.select.Selector;
import io.virga.scheduler.weigh.Ranking;
import io.virga.scheduler.weigh.RamWeigher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/** Builds the plain-Java scheduler parts from configuration. */
@Singleton
public class Wiring {
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    HostStore hostStore(DataSource dataSource) {
        return new HostStore(dataSource);
    }

    @Produces
    @Singleton
    Selector selector(SchedulerConfig config, Clock clock) {
        return new Selector(Filters.standard(config.ratios(), config.hostTimeout(), clock),
                new Ranking(List.of(new RamWeigher(config.ratios()))));
    }

    @Produces
    @Singleton
    ClaimMetrics claimMetrics(MeterRegistry registry) {
        return new ClaimMetrics(registry);
    }

    @Produces
    @Singleton
    ClaimService claimService(DataSource dataSource, Eventing eventing, HostStore hosts, Selector selector,
                              SchedulerConfig config, ClaimMetrics metrics) {
        ClaimStore store = new ClaimStore(dataSource, eventing.get().outbox(), eventing.get().source());
        return new ClaimService(hosts, store, selector, config.ratios(), metrics, config.claimAttempts());
    }
}
