package io.virga.compute.events;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.kafka.DirectPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Sends the node's events to Kafka in the order they were queued, one at a
 * time, each until Kafka has it (acks=all). A failed send is logged and
 * retried with backoff (200 ms doubling to 10 s), never dropped; later events
 * wait behind it, so one resource's events stay in order.
 *
 * <p>Events live in memory only: what is still queued when the process dies
 * is lost, which is why the node re-reports every guest's power state and its
 * host report at start (the facts are re-derived, not replayed).
 */
public final class EventSender implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventSender.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private record Pending(String topic, CloudEvent event) {
    }

    /** What the sender is doing, for readiness. */
    public record Health(boolean ok, int queued, long sent, Instant failingSince, String lastError) {
    }

    private final DirectPublisher publisher;
    private final BlockingQueue<Pending> queue;
    private final int capacity;
    private final java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();
    private final Thread thread;
    private final Object stateLock = new Object();
    private volatile boolean running = true;
    private long sent;
    private Instant failingSince;
    private String lastError;

    /** A sender with room for 10000 queued events. */
    public EventSender(DirectPublisher publisher, String threadName) {
        this(publisher, threadName, 10_000);
    }

    /** A sender that queues at most {@code capacity} events (see {@link #send}). */
    public EventSender(DirectPublisher publisher, String threadName, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.publisher = publisher;
        this.capacity = capacity;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues {@code event} for {@code topic}; returns at once.
     *
     * @throws EventQueueFullException when {@code capacity} events already wait (Kafka is slow or away)
     * @throws IllegalStateException   after {@link #close}
     */
    public void send(String topic, CloudEvent event) {
        if (!running) {
            throw new IllegalStateException("event sender is closed; cannot send " + event.type() + " " + event.subject());
        }
        if (!queue.offer(new Pending(topic, event))) {
            rejected.incrementAndGet();
            Health h = health();
            throw new EventQueueFullException("the event queue is full (" + capacity + " events wait for Kafka"
                    + (h.failingSince() == null ? "" : ", failing since " + h.failingSince() + ": " + h.lastError())
                    + "); cannot send " + event.type() + " " + event.subject());
        }
    }

    /** Whether a {@link #send} now would find room. */
    public boolean hasRoom() {
        return queue.remainingCapacity() > 0;
    }

    /** Events refused because the queue was full, since start. */
    public long rejected() {
        return rejected.get();
    }

    public Health health() {
        synchronized (stateLock) {
            return new Health(failingSince == null, queue.size(), sent, failingSince, lastError);
        }
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            Pending next;
            try {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null && !deliver(next)) {
                return;
            }
        }
    }

    /** Sends until Kafka has it; false when interrupted (closing). */
    private boolean deliver(Pending p) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                publisher.publish(p.topic(), p.event()).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (stateLock) {
                    sent++;
                    if (failingSince != null) {
                        LOG.infof("Kafka takes events again after failing since %s", failingSince);
                    }
                    failingSince = null;
                }
                return true;
            } catch (InterruptedException e) {
                LOG.warnf("not sent (shutting down): %s %s to %s", p.event().type(), p.event().subject(), p.topic());
                return false;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                String error = e instanceof ExecutionException ? String.valueOf(e.getCause()) : String.valueOf(e);
                synchronized (stateLock) {
                    if (failingSince == null) {
                        failingSince = Instant.now();
                    }
                    lastError = error;
                }
                LOG.warnf("cannot send %s %s to %s, retrying in %d ms: %s", p.event().type(), p.event().subject(),
                        p.topic(), backoff.toMillis(), error);
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                LOG.warnf("not sent (shutting down): %s %s to %s", p.event().type(), p.event().subject(), p.topic());
                return false;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Stops taking events, sends what is queued for at most {@code drain}, then
     * closes the producer. Events still unsent are logged.
     */
    public void close(Duration drain) {
        running = false;
        try {
            thread.join(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warnf("closing with %d events unsent; they are re-derived at the next start", queue.size());
        }
        publisher.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
