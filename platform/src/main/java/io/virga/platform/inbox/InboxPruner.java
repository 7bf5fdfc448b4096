package io.virga.platform.inbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Keeps the inbox from growing for ever: every {@code every} it deletes entries older than {@code keep}, in
 * short transactions of at most {@value #BATCH} rows so it never holds many row locks. Several replicas of a
 * service may prune at once (each deletes what it finds). A database that does not answer is tried again at
 * the next pass.
 */
public final class InboxPruner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InboxPruner.class);
    static final int BATCH = 5_000;

    private final DataSource dataSource;
    private final Duration keep;
    private final ScheduledExecutorService timer;
    private final AtomicLong pruned = new AtomicLong();

    /** Starts pruning: the first pass one minute from now, then every {@code every}. */
    public InboxPruner(DataSource dataSource, Duration keep, Duration every) {
        this.dataSource = dataSource;
        this.keep = keep;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbox-pruner");
            t.setDaemon(true);
            return t;
        });
        long first = Math.min(Duration.ofMinutes(1).toMillis(), every.toMillis());
        timer.scheduleWithFixedDelay(this::pass, first, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Entries deleted since start. */
    public long pruned() {
        return pruned.get();
    }

    /** One pass: deletes every entry older than the retention, batch by batch. @return how many went */
    public int pruneNow() throws SQLException {
        Instant before = Instant.now().minus(keep);
        int total = 0;
        while (true) {
            int n;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                n = Inbox.prune(c, before, BATCH);
                c.commit();
            }
            total += n;
            if (n < BATCH) {
                pruned.addAndGet(total);
                return total;
            }
        }
    }

    private void pass() {
        try {
            int n = pruneNow();
            if (n > 0) {
                LOG.infof("pruned %d inbox entries older than %s", n, keep);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot prune the inbox now, trying again later: %s", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
