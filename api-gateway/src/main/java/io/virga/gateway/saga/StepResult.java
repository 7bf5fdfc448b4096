package io.virga.gateway.saga;

import io.virga.gateway.instance.Fault;
import java.time.Instant;

/** What a step decided. Failures to reach a service are exceptions, handled by the runner. */
public sealed interface StepResult {

    /** Go on with {@code step}, due at {@code runAt}. {@code detail} ends the current step in the operation. */
    record Next(String step, Instant runAt, String detail, TxWork work, boolean clearObserved) implements StepResult {
    }

    /** Run this step again at {@code until} (waiting for something outside); {@code detail} notes why. */
    record Wait(Instant until, String detail, boolean clearObserved) implements StepResult {
    }

    /** Stop going forward: undo everything in reverse, and end with {@code fault} ({@code work} first). */
    record Compensate(Fault fault, TxWork work) implements StepResult {
    }

    /** The saga is over in {@code state}, after {@code work}. */
    record Finish(SagaState state, String detail, TxWork work) implements StepResult {
    }

    static StepResult next(String step, String detail) {
        return new Next(step, Instant.now(), detail, TxWork.NONE, false);
    }

    static StepResult next(String step, String detail, TxWork work) {
        return new Next(step, Instant.now(), detail, work, false);
    }

    static StepResult waitUntil(Instant until, String detail) {
        return new Wait(until, detail, false);
    }

    static StepResult compensate(String message, String code) {
        return new Compensate(new Fault(message, code), TxWork.NONE);
    }
}
