package io.virga.gateway.workflow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Engine metrics: {@code virga_workflow_step_failures_total{flow,step,class}} (class: outage, error,
 * refused), {@code virga_workflow_leases_lost_total{detected}} (detected: renewal — noticed while the
 * step ran, nothing written; write — the fenced write of the outcome found another runner's token),
 * {@code virga_workflow_wake_seconds} (from a workflow becoming due by a signal to a worker picking it up)
 * and {@code virga_workflows_finished_total{flow,state}}.
 */
@ApplicationScoped
public class WorkflowMetrics {
    private final MeterRegistry registry;

    public WorkflowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void stepFailed(String flow, String step, Failures.Kind kind) {
        Counter.builder("virga.workflow.step.failures")
                .tag("flow", flow).tag("step", step).tag("class", kind.name().toLowerCase())
                .register(registry).increment();
    }

    /** This process lost a workflow's lease to another runner; {@code detected}: "renewal" or "write". */
    public void leaseLost(String detected) {
        Counter.builder("virga.workflow.leases.lost").tag("detected", detected).register(registry).increment();
    }

    public void finished(String flow, WorkflowState state) {
        Counter.builder("virga.workflows.finished").tag("flow", flow).tag("state", state.name())
                .register(registry).increment();
    }

    /** How late a due workflow was claimed. */
    public void pickedUp(Duration late) {
        Timer.builder("virga.workflow.pickup").publishPercentileHistogram().register(registry)
                .record(late.isNegative() ? Duration.ZERO : late);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
