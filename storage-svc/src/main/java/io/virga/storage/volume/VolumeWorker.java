package io.virga.storage.volume;

import io.virga.storage.backend.VolumeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs volume operations (backend I/O) on a small pool, outside any request
 * and any transaction. Operations on one volume run one after another, in the
 * order submitted; different volumes run in parallel.
 */
@ApplicationScoped
public class VolumeWorker {
    private static final Logger LOG = Logger.getLogger(VolumeWorker.class);

    private final ExecutorService pool;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public VolumeWorker(VolumeConfig config) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> {
            Thread t = new Thread(r, "volume-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code work} for {@code volumeId}; a failure is logged (the work records its own outcome). */
    public CompletableFuture<Void> submit(String volumeId, String what, Runnable work) {
        Runnable guarded = () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s of %s failed", what, volumeId);
            }
        };
        CompletableFuture<Void> next = tails.compute(volumeId, (id, prev) -> prev == null
                ? CompletableFuture.runAsync(guarded, pool) : prev.thenRunAsync(guarded, pool));
        next.whenComplete((ok, e) -> tails.remove(volumeId, next));
        return next;
    }

    /** True while an operation of {@code volumeId} is queued or running here. */
    public boolean running(String volumeId) {
        return tails.containsKey(volumeId);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
