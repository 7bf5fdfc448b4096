package io.virga.gateway.workflow;

import io.virga.gateway.instance.Fault;
import io.virga.gateway.operation.OperationRepository;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What happens after a step failed ({@link Failures.Kind}):
 * <ul>
 *   <li>cleanup steps: retried with backoff until they succeed;</li>
 *   <li>OUTAGE (UNAVAILABLE, DEADLINE_EXCEEDED): retried with backoff (at most
 *       {@link WorkflowConfig#outageRetryMax()} apart) until the step has been
 *       failing for {@link WorkflowConfig#outageBudget()} — a time budget, not
 *       a count, so a dependency restarting on a busy machine does not fail
 *       the workflow; the operation's step says what it waits for and until when;</li>
 *   <li>ERROR (INTERNAL, UNKNOWN, ABORTED…): retried up to
 *       {@link WorkflowConfig#maxAttempts()} attempts;</li>
 *   <li>REFUSED: compensated at once.</li>
 * </ul>
 * A retry frees the lease (fenced) with the new attempt count and due time.
 */
@ApplicationScoped
public class RetryPolicy {
    private final WorkflowConfig config;
    private final WorkflowRepository workflows;
    private final OperationRepository operations;
    private final WorkflowMetrics metrics;
    private final Tx tx;

    public RetryPolicy(WorkflowConfig config, WorkflowRepository workflows, OperationRepository operations,
                       WorkflowMetrics metrics, Tx tx) {
        this.config = config;
        this.workflows = workflows;
        this.operations = operations;
        this.metrics = metrics;
        this.tx = tx;
    }

    /**
     * Schedules a retry and returns null, or returns the compensation to save
     * when a forward step's failure is final.
     */
    StepResult failed(Workflow wf, Lease lease, Flow<?, ?> flow, Step<?, ?> step, Failures.Kind kind, String why) {
        metrics.stepFailed(flow.name(), step.name(), kind);
        int attempts = wf.attempts() + 1;
        Instant now = Instant.now();
        Instant failingSince = kind == Failures.Kind.OUTAGE
                ? (wf.failingSince() == null ? now : wf.failingSince()) : wf.failingSince();
        boolean retry;
        String note;
        long delayMs;
        if (step.cleanup()) {
            retry = true;
            delayMs = backoffMs(attempts, config.maxBackoff());
            note = "attempt " + attempts + " failed: " + why + "; retrying";
        } else if (kind == Failures.Kind.OUTAGE) {
            Duration waited = Duration.between(failingSince, now);
            retry = waited.compareTo(config.outageBudget()) < 0;
            delayMs = backoffMs(attempts, config.outageRetryMax());
            note = "waiting for the service: " + why + " (for " + waited.toSeconds() + " s; giving up after "
                    + config.outageBudget().toSeconds() + " s)";
        } else if (kind == Failures.Kind.ERROR) {
            retry = attempts < config.maxAttempts();
            delayMs = backoffMs(attempts, config.maxBackoff());
            note = "attempt " + attempts + " of " + config.maxAttempts() + " failed: " + why + "; retrying";
        } else {
            retry = false;
            delayMs = 0;
            note = null;
        }
        if (retry) {
            lease.settle();
            Instant retryAt = now.plusMillis(delayMs);
            try {
                tx.run(c -> {
                    if (!workflows.release(c, wf.operationId(), lease.token(), attempts, failingSince, retryAt)) {
                        throw new LeaseLostException();
                    }
                    operations.noteStep(c, wf.operationId(), step.name(), note);
                    return null;
                });
            } catch (LeaseLostException e) {
                metrics.leaseLost("write");
            }
            return null;
        }
        String message = switch (kind) {
            case OUTAGE -> step.what() + " failed: the service was unreachable for "
                    + Duration.between(failingSince, now).toSeconds() + " s: " + why;
            case ERROR -> step.what() + " failed after " + attempts + " attempts: " + why;
            case REFUSED -> step.what() + " failed: " + why;
        };
        return StepResult.compensate(message, kind == Failures.Kind.REFUSED ? Fault.STEP_REFUSED
                : Fault.SERVICE_UNAVAILABLE);
    }

    /** Exponential backoff from {@link WorkflowConfig#retryBackoff()}, capped, with jitter in [cap/2, cap]. */
    long backoffMs(int attempts, Duration max) {
        long base = config.retryBackoff().toMillis() << Math.min(attempts - 1, 16);
        long capped = Math.max(1, Math.min(base, max.toMillis()));
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
