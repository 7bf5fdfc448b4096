package io.virga.platform.outbox;

import io.virga.platform.events.CloudEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka in insertion order, then deletes
 * them. At-least-once: a crash between send and delete re-sends the batch
 * (consumers deduplicate by event id through their inbox).
 *
 * <p>Only one relay of a service publishes at a time (a transaction-scoped
 * advisory lock), so per-key order holds across replicas. Kafka failures keep
 * the rows and retry with backoff; nothing is dropped.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} on shutdown.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long ADVISORY_LOCK_KEY = 0x7669726761L; // "virga"
    private static final int BATCH = 200;

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Duration pollInterval) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.pollInterval = pollInterval;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the relay to look at the outbox now instead of at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    private void loop() {
        long backoffMs = 100;
        while (running) {
            try {
                int published = publishBatch();
                backoffMs = 100;
                if (published < BATCH) {
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay failed, retrying in %d ms: %s", backoffMs, e.toString());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    /**
     * Publishes one batch. Visible for tests.
     *
     * @return how many events were published
     */
    public int publishBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = publishBatch(c);
                c.commit();
                return n;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection c) throws Exception {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0; // another replica is publishing
                }
            }
        }
        List<Long> seqs = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, topic, msg_key, payload FROM virga_outbox ORDER BY seq LIMIT " + BATCH)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    ProducerRecord<String, byte[]> record =
                            new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getBytes(4));
                    record.headers().add(new RecordHeader("content-type",
                            CloudEvent.CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    sends.add(producer.send(record));
                }
            }
        }
        if (seqs.isEmpty()) {
            return 0;
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM virga_outbox WHERE seq = ANY(?)")) {
            Array array = c.createArrayOf("bigint", seqs.toArray());
            del.setArray(1, array);
            del.executeUpdate();
        }
        return seqs.size();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rows waiting to be published (for health and metrics). */
    public long pending() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM virga_outbox");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
