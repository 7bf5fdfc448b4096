package io.virga.compute.guest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's background work (guest builds): a fixed pool of workers and a bounded queue in front of
 * them. When the queue is full a submit fails at once with {@link WorkQueueFullException} (the caller
 * answers RESOURCE_EXHAUSTED) rather than piling up work the host cannot do. Metrics:
 * {@code virga_compute_work_queued} (gauge), {@code virga_compute_work_rejected_total}.
 */
final class WorkQueue {

    private final String hostName;
    private final int capacity;
    private final ThreadPoolExecutor pool;
    private final Counter rejected;

    WorkQueue(String hostName, int workers, int capacity, MeterRegistry registry) {
        if (workers < 1 || capacity < 1) {
            throw new IllegalArgumentException("workers and capacity must be at least 1, got " + workers + ", " + capacity);
        }
        this.hostName = hostName;
        this.capacity = capacity;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity), r -> {
                    Thread t = new Thread(r, "virga-guest-work-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.rejected = Counter.builder("virga.compute.work.rejected")
                .description("guest work refused because the node's work queue was full").register(registry);
        Gauge.builder("virga.compute.work.queued", pool, p -> p.getQueue().size())
                .description("guest work waiting for a worker").register(registry);
    }

    /**
     * Queues {@code task}.
     *
     * @throws WorkQueueFullException         when {@code capacity} tasks already wait
     * @throws RejectedExecutionException when the queue is shut down
     */
    void submit(Runnable task) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("compute node " + hostName + " is shutting down");
        }
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("compute node " + hostName + " is shutting down");
            }
            rejected.increment();
            throw new WorkQueueFullException("compute node " + hostName + " has " + capacity
                    + " guest builds waiting (its work queue is full); retry later or choose another host");
        }
    }

    int queued() {
        return pool.getQueue().size();
    }

    /** Stops taking work and interrupts what runs, waiting up to {@code wait}. */
    boolean shutdown(Duration wait) throws InterruptedException {
        pool.shutdownNow();
        return pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
