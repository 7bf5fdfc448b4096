package io.virga.scheduler.claim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Scheduler meters: {@code virga.scheduler.claims.succeeded{kind=new|replay}},
 * {@code virga.scheduler.claims.failed{reason=<binding filter>|none|contention}},
 * {@code virga.scheduler.claim.conflicts} (lost compare-and-sets),
 * {@code virga.scheduler.releases{released=true|false}} and the
 * {@code virga.scheduler.select} timer (whole SelectAndClaim).
 */
public final class ClaimMetrics {
    private final MeterRegistry registry;
    private final Timer select;
    private final Counter conflicts;

    public ClaimMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.select = Timer.builder("virga.scheduler.select")
                .description("time to filter, weigh and claim")
                .publishPercentileHistogram()
                .register(registry);
        this.conflicts = Counter.builder("virga.scheduler.claim.conflicts")
                .description("claims that lost a compare-and-set on the host generation and retried")
                .register(registry);
    }

    public Timer selectTimer() {
        return select;
    }

    void succeeded(boolean replay) {
        registry.counter("virga.scheduler.claims.succeeded", "kind", replay ? "replay" : "new").increment();
    }

    void failed(String reason) {
        registry.counter("virga.scheduler.claims.failed", "reason", reason).increment();
    }

    void conflict() {
        conflicts.increment();
    }

    void released(boolean released) {
        registry.counter("virga.scheduler.releases", "released", String.valueOf(released)).increment();
    }
}
