package io.virga.gateway.workflow;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.virga.contracts.network.v1.NetworkServiceGrpc;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import io.virga.gateway.clients.ServiceClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's service clients, watchable: {@link #watch} counts the calls
 * of a method about one subject (e.g. CreateVolume for one instance) and can
 * make the first of them stall before it goes out, as if the service or the
 * network hung — the saga step making it takes that much longer. An
 * interrupt of the stalled thread cancels the call (CANCELLED, never sent),
 * as it does a real blocking call in flight; a stubborn stall ignores
 * interrupts, as code blocked outside gRPC might. Enabled only by
 * {@link WorkflowLeaseTestProfile}.
 */
@Alternative
@ApplicationScoped
public class DelayingServiceClients extends ServiceClients {
    /** Calls of {@code method} whose request mentions {@code subject}. */
    static final class Watch {
        private final String method;
        private final String subject;
        private final AtomicReference<Duration> stall;
        private final boolean stubborn;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile boolean stalled;

        private Watch(String method, String subject, Duration stall, boolean stubborn) {
            this.method = method;
            this.subject = subject;
            this.stall = new AtomicReference<>(stall);
            this.stubborn = stubborn;
        }

        /** How many such calls were made (sent, after any stall). */
        int calls() {
            return calls.get();
        }

        /** The stall has begun (the step is inside its call). */
        boolean stalled() {
            return stalled;
        }
    }

    private static final List<Watch> WATCHES = new CopyOnWriteArrayList<>();

    /** Forwards to the real channel, counting and stalling watched calls. */
    private static final class WatchingChannel extends Channel {
        private final Channel next;

        WatchingChannel(Channel next) {
            this.next = next;
        }

        @Override
        public String authority() {
            return next.authority();
        }

        @Override
        public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> method, CallOptions options) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void sendMessage(Q message) {
                    for (Watch w : WATCHES) {
                        if (w.method.equals(method.getBareMethodName()) && message.toString().contains(w.subject)) {
                            Duration stall = w.stall.getAndSet(null);
                            if (stall != null) {
                                w.stalled = true;
                                if (!stall(stall, w.stubborn)) {
                                    throw Status.CANCELLED.withDescription("interrupted while stalled")
                                            .asRuntimeException();
                                }
                            }
                            w.calls.incrementAndGet();
                        }
                    }
                    super.sendMessage(message);
                }
            };
        }
    }

    /**
     * Starts counting calls of {@code method} (e.g. "CreateVolume") whose request mentions {@code subject};
     * the first one stalls for {@code stallFirst} (null: none).
     */
    static Watch watch(String method, String subject, Duration stallFirst) {
        return watch(method, subject, stallFirst, false);
    }

    /** {@link #watch}; a {@code stubborn} stall sleeps its full time even if the thread is interrupted. */
    static Watch watch(String method, String subject, Duration stallFirst, boolean stubborn) {
        Watch w = new Watch(method, subject, stallFirst, stubborn);
        WATCHES.add(w);
        return w;
    }

    /** @return false if interrupted (the interrupt stays set); a stubborn stall swallows interrupts */
    private static boolean stall(Duration stall, boolean stubborn) {
        long end = System.nanoTime() + stall.toNanos();
        for (long left = stall.toNanos(); left > 0; left = end - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                if (!stubborn) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    static void clear() {
        WATCHES.clear();
    }

    // (a Channel rather than a ClientInterceptor: Quarkus warns about interceptors it does not manage)
    @Override
    public NetworkServiceGrpc.NetworkServiceBlockingStub network(Duration deadline) {
        var real = super.network(deadline);
        return NetworkServiceGrpc.newBlockingStub(new WatchingChannel(real.getChannel()))
                .withDeadline(real.getCallOptions().getDeadline());
    }

    @Override
    public StorageServiceGrpc.StorageServiceBlockingStub storage(Duration deadline) {
        var real = super.storage(deadline);
        return StorageServiceGrpc.newBlockingStub(new WatchingChannel(real.getChannel()))
                .withDeadline(real.getCallOptions().getDeadline());
    }

    @Override
    public SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler(Duration deadline) {
        var real = super.scheduler(deadline);
        return SchedulerServiceGrpc.newBlockingStub(new WatchingChannel(real.getChannel()))
                .withDeadline(real.getCallOptions().getDeadline());
    }
}
