package io.virga.gateway.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Saga metrics: {@code virga_instance_create_seconds} (create → ACTIVE),
 * {@code virga_instance_create_failures_total{code}} and
 * {@code virga_saga_step_failures_total{kind,step,class}} (class: transient or permanent) and
 * {@code virga_saga_leases_lost_total{detected}} (detected: renewal — noticed while the step ran, the
 * runner wrote nothing; write — the fenced write of the outcome found another runner's token).
 */
@ApplicationScoped
public class SagaMetrics {
    private final MeterRegistry registry;
    private final Timer createToActive;

    public SagaMetrics(MeterRegistry registry) {
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

    public void stepFailed(SagaKind kind, String step, boolean transientFailure) {
        Counter.builder("virga.saga.step.failures")
                .tag("kind", kind.value()).tag("step", step).tag("class", transientFailure ? "transient" : "permanent")
                .register(registry).increment();
    }

    /** This process lost a saga's lease to another runner; {@code detected}: "renewal" or "write". */
    public void leaseLost(String detected) {
        Counter.builder("virga.saga.leases.lost").tag("detected", detected).register(registry).increment();
    }
}
