package io.virga.platform.kafka;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.inbox.Inbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * An idempotent, supervised Kafka consumer: each record is decoded as a CloudEvent and applied by the handler
 * in one transaction with the inbox entry; offsets are committed only after that transaction commits. So an
 * event is applied exactly once to the database, whatever crashes or redeliveries happen.
 *
 * <p>Failures, and what happens to the record:
 * <table>
 *   <caption>record outcomes</caption>
 *   <tr><th>what</th><th>outcome</th></tr>
 *   <tr><td>applied, or already in the inbox</td><td>done; offset committed</td></tr>
 *   <tr><td>not a CloudEvent</td><td>parked on the dead-letter topic at once (it can never succeed); done</td></tr>
 *   <tr><td>the database cannot be reached</td><td>retried with backoff for as long as it takes</td></tr>
 *   <tr><td>the handler fails, the database answers</td><td>retried with backoff; once it has failed for
 *       {@link Settings#poisonAfter} and at least {@link Settings#poisonAttempts} times, parked with the
 *       reason; done</td></tr>
 * </table>
 * A record being retried holds back only its own partition (per-key order is kept). Without
 * {@link DeadLetters} nothing is parked: an undecodable record is skipped with a log line, a failing one is
 * retried for ever.
 *
 * <p>Supervision: when the Kafka consumer itself fails (a failed offset commit, a fenced or broken client),
 * it is closed and a new one subscribes after a backoff (doubling up to {@link Settings#maxRestartBackoff});
 * uncommitted records are delivered again and the inbox drops those already applied. {@link #health()} shows
 * whether it polls, its restarts, parked records and what it is stuck on.
 */
public final class EventConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long FIRST_RESTART_MS = 250;

    /**
     * When a failing record is parked and how restarts back off.
     *
     * @param poisonAfter       how long a record must keep failing (with the database answering) to be parked
     * @param poisonAttempts    and at least how many times
     * @param maxRestartBackoff the longest wait before a failed Kafka consumer is made again
     */
    public record Settings(Duration poisonAfter, int poisonAttempts, Duration maxRestartBackoff) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(1), 5, Duration.ofSeconds(30));
    }

    private final String name;
    private final String bootstrap;
    private final Collection<String> topics;
    private final DataSource dataSource;
    private final EventHandler handler;
    private final DeadLetters deadLetters;
    private final Settings settings;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile boolean running;
    private volatile boolean up;
    private volatile KafkaConsumer<String, byte[]> current;
    private volatile String lastError;
    private final Map<TopicPartition, Failing> failing = new ConcurrentHashMap<>();
    private Thread thread;

    /** The record a partition is stuck on. */
    private record Failing(long offset, long sinceNanos, Instant since, int attempts) {
    }

    /**
     * @param name        the consumer's name: its Kafka group and its inbox key (e.g. {@code scheduler-hosts})
     * @param deadLetters where records that can never be applied are parked; null to never park
     */
    public EventConsumerLoop(String name, String bootstrap, Collection<String> topics, DataSource dataSource,
                             EventHandler handler, DeadLetters deadLetters, Settings settings) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.topics = List.copyOf(topics);
        this.dataSource = dataSource;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.settings = settings;
    }

    /** A consumer that never parks (see the class comment). */
    public EventConsumerLoop(String name, String bootstrap, Collection<String> topics, DataSource dataSource,
                             EventHandler handler) {
        this(name, bootstrap, topics, dataSource, handler, null, Settings.DEFAULTS);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::supervise, "events-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public ConsumerHealth health() {
        Instant since = failing.values().stream().map(Failing::since).min(Instant::compareTo).orElse(null);
        return new ConsumerHealth(name, up, restarts.get(), parked.get(), since, lastError);
    }

    private void supervise() {
        long backoffMs = FIRST_RESTART_MS;
        while (running) {
            KafkaConsumer<String, byte[]> consumer = null;
            try {
                consumer = KafkaClients.consumer(bootstrap, name);
                current = consumer;
                consumer.subscribe(topics);
                pollUntilClosed(consumer);
                return;
            } catch (WakeupException e) {
                if (!running) {
                    return;
                }
                failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failed(e);
            } finally {
                up = false;
                current = null;
                if (consumer != null) {
                    closeQuietly(consumer);
                }
            }
            if (!pause(backoffMs)) {
                return;
            }
            restarts.incrementAndGet();
            backoffMs = Math.min(backoffMs * 2, settings.maxRestartBackoff().toMillis());
        }
    }

    private void failed(RuntimeException e) {
        lastError = String.valueOf(e);
        LOG.errorf(e, "consumer %s failed; it starts again after a backoff", name);
    }

    private void pollUntilClosed(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        long retryMs = 100;
        while (running) {
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            up = true;
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            boolean stuck = false;
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                    if (!apply(record)) {
                        consumer.seek(tp, record.offset()); // retry this record on the next poll
                        stuck = true;
                        break;
                    }
                    done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                }
            }
            if (!done.isEmpty()) {
                consumer.commitSync(done);
            }
            if (stuck) {
                Thread.sleep(retryMs);
                retryMs = Math.min(retryMs * 2, 5_000);
            } else {
                retryMs = 100;
            }
        }
    }

    /** @return true when the record is done with (applied, duplicate or parked); false to retry it */
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = CloudEventCodec.decode(record.value());
        } catch (IllegalArgumentException e) {
            return park(record, "not a CloudEvent: " + e.getMessage());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (Inbox.firstSeen(c, name, event.id())) {
                    handler.handle(event, c);
                }
                c.commit();
                failing.remove(partitionOf(record));
                return true;
            } catch (Exception e) {
                rollbackQuietly(c);
                if (!answers(c)) {
                    lastError = "database: " + e;
                    LOG.warnf("consumer %s lost its database on event %s, will retry: %s", name, event.id(), e);
                    return false;
                }
                return handlerFailed(record, event, e);
            }
        } catch (SQLException e) {
            lastError = "database: " + e;
            LOG.warnf("consumer %s cannot reach its database, will retry: %s", name, e);
            return false;
        }
    }

    /** Counts a handler failure on {@code record}; parks it once it has failed long and often enough. */
    private boolean handlerFailed(ConsumerRecord<String, byte[]> record, CloudEvent event, Exception e) {
        Failing f = failing.compute(partitionOf(record), (tp, was) -> was != null && was.offset() == record.offset()
                ? new Failing(was.offset(), was.sinceNanos(), was.since(), was.attempts() + 1)
                : new Failing(record.offset(), System.nanoTime(), Instant.now(), 1));
        lastError = String.valueOf(e);
        boolean longEnough = System.nanoTime() - f.sinceNanos() >= settings.poisonAfter().toNanos();
        if (deadLetters != null && longEnough && f.attempts() >= settings.poisonAttempts()) {
            return park(record, "event " + event.id() + " (" + event.type() + ") failed " + f.attempts()
                    + " times since " + f.since() + ": " + e);
        }
        LOG.warnf("consumer %s failed on event %s (%s), attempt %d, will retry: %s", name, event.id(), event.type(),
                f.attempts(), e);
        return false;
    }

    private boolean park(ConsumerRecord<String, byte[]> record, String reason) {
        if (deadLetters == null) {
            LOG.warnf("consumer %s skips %s@%d: %s", name, record.topic(), record.offset(), reason);
            return true;
        }
        try {
            deadLetters.park(name, record, reason);
        } catch (IllegalStateException e) {
            lastError = e.getMessage();
            LOG.warnf("consumer %s cannot park %s@%d yet: %s", name, record.topic(), record.offset(), e.getMessage());
            return false;
        }
        parked.incrementAndGet();
        failing.remove(partitionOf(record));
        LOG.errorf("consumer %s parked %s-%d@%d on the dead-letter topic: %s", name, record.topic(), record.partition(),
                record.offset(), reason);
        return true;
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> r) {
        return new TopicPartition(r.topic(), r.partition());
    }

    private static boolean answers(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the transaction is gone with it
        }
    }

    private static void closeQuietly(KafkaConsumer<String, byte[]> consumer) {
        try {
            consumer.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("closing a consumer failed: %s", e);
        }
    }

    /** Sleeps unless closed meanwhile; false when closing. */
    private boolean pause(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        try {
            while (running && System.nanoTime() < until) {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running;
    }

    /** For tests: makes the running Kafka consumer fail as a broken client would (it is then made again). */
    void breakConsumer() {
        KafkaConsumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
