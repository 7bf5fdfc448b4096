package io.virga.platform.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * What every client of another Virga service puts between itself and the channel: a
 * {@link CircuitBreaker} per dependency, and retries of calls that could not reach the peer.
 *
 * <p>Contract:
 * <ul>
 *   <li>While the breaker is open a call fails at once with UNAVAILABLE ("circuit open"), so callers
 *       classify it as the outage it is (the gateway answers 503, a workflow step backs off).</li>
 *   <li>A unary call whose method is marked {@code idempotency_level = NO_SIDE_EFFECTS} or
 *       {@code IDEMPOTENT} in its .proto is retried when it ends UNAVAILABLE before the peer sent
 *       anything, with exponential backoff, while the retry budget and the call's own deadline both
 *       last. Other calls (streams, non-idempotent writes) are never retried: a write that may have
 *       happened is the caller's to reconcile.</li>
 *   <li>The deadline stays the caller's: every attempt shares the call's absolute deadline.</li>
 * </ul>
 */
public final class CallGuard implements ClientInterceptor {
    /** Breaker and retry settings. */
    public record Policy(int breakerThreshold, Duration openFor, Duration retryBudget, Duration firstBackoff,
                         Duration maxBackoff) {
        /** 5 unreachable calls in a row open the breaker for 5 s; retries within 3 s, 50 ms doubling to 1 s. */
        public static Policy defaults() {
            return new Policy(5, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofMillis(50),
                    Duration.ofSeconds(1));
        }
    }

    private static final ScheduledExecutorService TIMER = timer();

    private final CircuitBreaker breaker;
    private final Policy policy;

    public CallGuard(String dependency, Policy policy) {
        this.breaker = new CircuitBreaker(dependency, policy.breakerThreshold(), policy.openFor());
        this.policy = policy;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        boolean retryable = method.getType() == MethodDescriptor.MethodType.UNARY
                && (method.isSafe() || method.isIdempotent());
        if (retryable) {
            return new RetryingUnaryCall<>(this, method, options, next);
        }
        if (!breaker.tryAcquire()) {
            return new RefusedCall<>(refusal());
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        record(status);
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }

    /** Tells the breaker what a finished attempt says about the peer. */
    void record(Status status) {
        switch (status.getCode()) {
            case UNAVAILABLE -> breaker.onFailure();
            case DEADLINE_EXCEEDED, CANCELLED -> breaker.onAbandoned();
            default -> breaker.onSuccess();
        }
    }

    Status refusal() {
        return Status.UNAVAILABLE.withDescription(breaker.name()
                + " unreachable: circuit open after repeated failures, next try in "
                + breaker.millisUntilProbe() + " ms");
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    long backoffMillis(int attempt) {
        long first = policy.firstBackoff().toMillis();
        long wait = first << Math.min(attempt - 1, 20);
        return Math.min(wait, policy.maxBackoff().toMillis());
    }

    Policy policy() {
        return policy;
    }

    static ScheduledExecutorService scheduler() {
        return TIMER;
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "grpc-call-guard");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A call the open breaker refused: it closes with UNAVAILABLE as soon as it starts. */
    static final class RefusedCall<Q, R> extends ClientCall<Q, R> {
        private final Status status;

        RefusedCall(Status status) {
            this.status = status;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            listener.onClose(status, new Metadata());
        }

        @Override
        public void request(int n) {
        }

        @Override
        public void cancel(String message, Throwable cause) {
        }

        @Override
        public void halfClose() {
        }

        @Override
        public void sendMessage(Q message) {
        }
    }
}
