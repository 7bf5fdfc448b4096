package io.virga.gateway.stream;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Long-polls of {@code GET /v1/operations/{id}?wait=}: no thread waits per caller. A waiter is a future that
 * completes (with {@code true}) when the operation's {@code io.virga.operation.finished} event reaches this
 * gateway's {@link StreamHub}, or when a periodic re-check ({@link StreamConfig#waitRecheck()}: one query for
 * all pending waits) finds it finished, or (with {@code false}) at its deadline. The caller then re-reads the
 * operation. Completing twice is harmless.
 */
@ApplicationScoped
public class OperationWaiters {
    private static final Logger LOG = Logger.getLogger(OperationWaiters.class);
    private final Map<String, Set<CompletableFuture<Boolean>>> waiting = new ConcurrentHashMap<>();
    private final StreamConfig config;
    private final Tx tx;
    private ScheduledExecutorService timers;
    private final java.util.concurrent.ExecutorService rereads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "operation-wait-reads");
        t.setDaemon(true);
        return t;
    });

    public OperationWaiters(StreamConfig config, Tx tx) {
        this.config = config;
        this.tx = tx;
    }

    void onStart(@Observes StartupEvent event) {
        timers();
    }

    void onStop(@Observes ShutdownEvent event) {
        ScheduledExecutorService t = timers;
        if (t != null) {
            t.shutdownNow();
        }
        waiting.values().forEach(set -> set.forEach(f -> f.complete(false)));
        waiting.clear();
        rereads.shutdown();
    }

    /** Where a finished wait re-reads its operation (a small pool: never the tailer or timer thread). */
    public java.util.concurrent.Executor executor() {
        return rereads;
    }

    private synchronized ScheduledExecutorService timers() {
        if (timers == null) {
            timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "operation-waiters");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(50, config.waitRecheck().toMillis());
            timers.scheduleWithFixedDelay(this::recheck, every, every, TimeUnit.MILLISECONDS);
        }
        return timers;
    }

    /** A future completing true when {@code operationId} finishes, false after {@code wait}. */
    public CompletableFuture<Boolean> await(String operationId, Duration wait) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        waiting.computeIfAbsent(operationId, k -> ConcurrentHashMap.newKeySet()).add(f);
        timers().schedule(() -> f.complete(false), wait.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> forget(operationId, f));
        return f;
    }

    /** Wakes the waiters of an operation that finished. */
    public void finished(String operationId) {
        Set<CompletableFuture<Boolean>> set = waiting.remove(operationId);
        if (set != null) {
            set.forEach(f -> f.complete(true));
        }
    }

    /** Pending waits (for tests and metrics). */
    public int pending() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    private void forget(String operationId, CompletableFuture<Boolean> f) {
        waiting.computeIfPresent(operationId, (k, set) -> {
            set.remove(f);
            return set.isEmpty() ? null : set;
        });
    }

    private void recheck() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            List<String> ids = new ArrayList<>(waiting.keySet());
            List<String> done = tx.run(c -> {
                Array arr = c.createArrayOf("text", ids.toArray());
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM operations WHERE id = ANY(?) AND status <> 'RUNNING'")) {
                    ps.setArray(1, arr);
                    List<String> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                    return out;
                }
            });
            done.forEach(this::finished);
        } catch (RuntimeException e) {
            LOG.warnf("re-checking long-polled operations failed (retried): %s", e.toString());
        }
    }
}
