package io.virga.gateway.workflow;

import io.virga.gateway.instance.Fault;
import java.time.Instant;

/**
 * What a step decided. Failures to reach a service are exceptions, classified
 * by the runner ({@link Failures}).
 *
 * <p>Observations: {@code consume} says whether the observations the step was
 * given are used up once its outcome is saved. Observations arriving while the
 * step runs are never consumed by it; if any are left, the workflow is due at
 * once. {@link Wait} consumes by default (the step looked and chose to wait).
 */
public sealed interface StepResult {

    /** Go on with {@code step}, due at {@code runAt}; {@code detail} ends the current step in the operation. */
    record Next(String step, Instant runAt, String detail, TxWork work, boolean consume) implements StepResult {
    }

    /** Run this step again at {@code until} (waiting for something outside); {@code detail} notes why. */
    record Wait(Instant until, String detail, boolean consume) implements StepResult {
    }

    /** Stop going forward: undo in reverse from the flow's first compensation step, ending with {@code fault}. */
    record Compensate(Fault fault, TxWork work) implements StepResult {
    }

    /** The workflow is over in {@code state} (SUCCEEDED or FAILED), after {@code work}. */
    record Finish(WorkflowState state, String detail, TxWork work) implements StepResult {
    }

    static StepResult next(String step, String detail) {
        return new Next(step, Instant.now(), detail, TxWork.NONE, false);
    }

    static StepResult next(String step, String detail, TxWork work) {
        return new Next(step, Instant.now(), detail, work, false);
    }

    static StepResult waitUntil(Instant until, String detail) {
        return new Wait(until, detail, true);
    }

    static StepResult compensate(String message, String code) {
        return new Compensate(new Fault(message, code), TxWork.NONE);
    }

    static StepResult succeed(String detail, TxWork work) {
        return new Finish(WorkflowState.SUCCEEDED, detail, work);
    }
}
