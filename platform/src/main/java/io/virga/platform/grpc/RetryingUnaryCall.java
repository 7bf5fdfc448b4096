package io.virga.platform.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One unary call of a retryable method as {@link CallGuard} runs it: the request is kept, and the
 * real call is made (again) at half-close. An attempt that ends UNAVAILABLE before the peer sent
 * headers or a message is tried again after a backoff while the guard's retry budget and the call's
 * deadline last; any other ending goes to the caller's listener, exactly once.
 *
 * <pre>
 * state     event                                        next
 * NEW       start / request / sendMessage                NEW (kept)
 * NEW       halfClose                                    RUNNING (attempt 1)
 * RUNNING   closes UNAVAILABLE, nothing heard, budget    WAITING (retry scheduled)
 * RUNNING   any other close                              DONE (listener closed)
 * WAITING   timer fires                                  RUNNING (next attempt) or DONE (breaker open)
 * any       cancel                                       DONE (CANCELLED)
 * </pre>
 */
final class RetryingUnaryCall<Q, R> extends ClientCall<Q, R> {
    private final CallGuard guard;
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final Channel next;
    private final long firstAttemptNanos = System.nanoTime();

    private final Object lock = new Object();
    private Listener<R> listener;
    private Metadata headers;
    private Q message;
    private int requested;
    private int attempt;
    private ClientCall<Q, R> current;
    private Future<?> pendingRetry;
    private boolean done;

    RetryingUnaryCall(CallGuard guard, MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        this.guard = guard;
        this.method = method;
        this.options = options;
        this.next = next;
    }

    @Override
    public void start(Listener<R> responseListener, Metadata headers) {
        this.listener = responseListener;
        this.headers = headers;
    }

    @Override
    public void request(int numMessages) {
        ClientCall<Q, R> call;
        synchronized (lock) {
            requested += numMessages;
            call = current;
        }
        if (call != null) {
            call.request(numMessages);
        }
    }

    @Override
    public void sendMessage(Q request) {
        if (message != null) {
            throw new IllegalStateException("a unary call sends one message");
        }
        message = request;
    }

    @Override
    public void halfClose() {
        attempt();
    }

    @Override
    public void cancel(String why, Throwable cause) {
        ClientCall<Q, R> call;
        boolean closeHere;
        synchronized (lock) {
            if (done) {
                return;
            }
            call = current;
            closeHere = pendingRetry != null || call == null;
            if (pendingRetry != null) {
                pendingRetry.cancel(false);
                pendingRetry = null;
            }
        }
        if (call != null && !closeHere) {
            call.cancel(why, cause); // its listener reports CANCELLED
        } else {
            finish(Status.CANCELLED.withDescription(why).withCause(cause), new Metadata());
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }

    private void attempt() {
        ClientCall<Q, R> call;
        int wanted;
        synchronized (lock) {
            if (done) {
                return;
            }
            pendingRetry = null;
            if (!guard.breaker().tryAcquire()) {
                call = null;
                wanted = 0;
            } else {
                attempt++;
                call = next.newCall(method, options);
                current = call;
                wanted = Math.max(requested, 1);
            }
        }
        if (call == null) {
            finish(guard.refusal(), new Metadata());
            return;
        }
        Metadata copy = new Metadata();
        copy.merge(headers);
        call.start(new AttemptListener(attempt), copy);
        call.request(wanted);
        call.sendMessage(message);
        call.halfClose();
    }

    private void finish(Status status, Metadata trailers) {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
        }
        listener.onClose(status, trailers);
    }

    /** Whether another attempt fits after waiting {@code waitMillis}. */
    private boolean budgetAllows(long waitMillis) {
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstAttemptNanos);
        if (elapsedMillis + waitMillis > guard.policy().retryBudget().toMillis()) {
            return false;
        }
        Deadline deadline = options.getDeadline();
        return deadline == null || deadline.timeRemaining(TimeUnit.MILLISECONDS) > waitMillis;
    }

    /** Listens to one attempt, forwarding what the peer said and deciding on a retry at close. */
    private final class AttemptListener extends Listener<R> {
        private final int number;
        private boolean heard;

        AttemptListener(int number) {
            this.number = number;
        }

        @Override
        public void onHeaders(Metadata h) {
            heard = true;
            listener.onHeaders(h);
        }

        @Override
        public void onMessage(R response) {
            heard = true;
            listener.onMessage(response);
        }

        @Override
        public void onReady() {
            listener.onReady();
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            guard.record(status);
            long wait = guard.backoffMillis(number);
            if (!heard && status.getCode() == Status.Code.UNAVAILABLE && budgetAllows(wait)) {
                synchronized (lock) {
                    if (!done) {
                        pendingRetry = CallGuard.scheduler().schedule(RetryingUnaryCall.this::attempt, wait,
                                TimeUnit.MILLISECONDS);
                        return;
                    }
                }
            }
            finish(status, trailers);
        }
    }
}
