package io.virga.platform.grpc;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one dependency (a service, or one compute node's endpoint). It counts
 * consecutive calls that could not reach the dependency (UNAVAILABLE) and, past a threshold, refuses
 * calls at once for a while instead of letting each one wait for a dead peer.
 *
 * <pre>
 * state      event                                   next state
 * CLOSED     call allowed; success                   CLOSED (failure count reset)
 * CLOSED     failure, count &lt; threshold             CLOSED
 * CLOSED     failure, count reaches threshold        OPEN (until now + openFor)
 * OPEN       call before openFor has passed          OPEN (call refused)
 * OPEN       call after openFor has passed           HALF_OPEN (this one call is the probe)
 * HALF_OPEN  another call while the probe runs       HALF_OPEN (call refused)
 * HALF_OPEN  probe succeeds                          CLOSED
 * HALF_OPEN  probe fails                             OPEN (until now + openFor)
 * </pre>
 * "Success" is any answer from the peer, errors included: NOT_FOUND proves the peer is alive.
 * Thread-safe; every transition happens under the breaker's monitor, which guards no I/O.
 */
public final class CircuitBreaker {
    /** Where the breaker is; see the class table. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String name;
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;

    private State state = State.CLOSED;
    private int failures;
    private long openUntil;

    public CircuitBreaker(String name, int threshold, Duration openFor) {
        this(name, threshold, openFor, System::nanoTime);
    }

    CircuitBreaker(String name, int threshold, Duration openFor, LongSupplier nanoClock) {
        if (threshold < 1 || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("threshold >= 1 and a positive openFor are required");
        }
        this.name = name;
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    public String name() {
        return name;
    }

    public synchronized State state() {
        return state;
    }

    /** Whether a call may go out now; an OPEN breaker past its time lets exactly one probe through. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoClock.getAsLong() - openUntil >= 0) {
                    state = State.HALF_OPEN;
                    return true;
                }
                return false;
            default:
                return false; // HALF_OPEN: the probe is out
        }
    }

    /** The peer answered (with any status but UNAVAILABLE). */
    public synchronized void onSuccess() {
        failures = 0;
        state = State.CLOSED;
    }

    /** The peer could not be reached. */
    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openUntil = nanoClock.getAsLong() + openForNanos;
        }
    }

    /** A call that was allowed out ended without telling anything about the peer (cancelled by the caller). */
    public synchronized void onAbandoned() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN; // let the next call after openFor probe again
            openUntil = nanoClock.getAsLong();
        }
    }

    /** Milliseconds until an OPEN breaker lets a probe through (0 when it would now). */
    public synchronized long millisUntilProbe() {
        return state == State.OPEN ? Math.max(0, (openUntil - nanoClock.getAsLong()) / 1_000_000) : 0;
    }
}
