package io.virga.gateway.instance.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Instance metrics: {@code virga_instance_create_seconds} (create → ACTIVE),
 * {@code virga_instance_create_failures_total{code}}, destroys not confirmed and orphans reaped.
 */
@ApplicationScoped
public class InstanceMetrics {
    private final MeterRegistry registry;
    private final Timer createToActive;

    public InstanceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.createToActive = Timer.builder("virga.instance.create")
                .description("Time from POST /v1/instances to the instance being ACTIVE")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void instanceActive(Duration sinceCreate) {
        createToActive.record(sinceCreate);
    }

    public void instanceFailed(String faultCode) {
        Counter.builder("virga.instance.create.failures").tag("code", faultCode).register(registry).increment();
    }

    /** A guest on an unreachable host could not be confirmed destroyed (the host was given up on). */
    public void destroyUnconfirmed() {
        Counter.builder("virga.saga.destroy.unconfirmed").register(registry).increment();
    }

    /** The reaper destroyed a suspected orphan guest ({@code existed}: there really was one). */
    public void orphanReaped(boolean existed) {
        Counter.builder("virga.orphan.guests.reaped").tag("existed", Boolean.toString(existed)).register(registry)
                .increment();
    }
}
