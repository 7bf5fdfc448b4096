package io.virga.gateway.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Fans recorded events out to SSE clients. One tailer thread per gateway reads {@code stream_events} in
 * seq order (woken by {@code NOTIFY virga_stream}, and every {@link StreamConfig#pollInterval()} anyway)
 * and offers each event to every {@link Subscriber}; an offer never blocks (a full client is dropped).
 * Operation events also wake {@link OperationWaiters}. A scheduler sends heartbeats, forgets closed
 * clients and prunes rows older than {@link StreamConfig#retention()}.
 *
 * <p>Resume ({@link #open} with a Last-Event-ID): the client is registered first (live events are held),
 * then the rows between its id and the tailer's position are replayed from the database, then the held
 * events follow; seq order and no duplicates by construction (a subscriber skips seq it already queued).
 * An id below the pruned watermark, or above the newest row, is answered with a {@code stream.reset} event
 * before whatever is still available: the client learns that it may have missed events.
 */
@ApplicationScoped
public class StreamHub {
    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final StreamStore store;
    private final StreamConfig config;
    private final OperationWaiters waiters;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile long position;
    private volatile boolean running;
    private Thread tailer;
    private ScheduledExecutorService timers;

    public StreamHub(DataSource dataSource, StreamStore store, StreamConfig config, OperationWaiters waiters) {
        this.dataSource = dataSource;
        this.store = store;
        this.config = config;
        this.waiters = waiters;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 120) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        position = store.head();
        running = true;
        tailer = new Thread(this::tail, "event-stream-tailer");
        tailer.setDaemon(true);
        tailer.start();
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-stream-timers");
            t.setDaemon(true);
            return t;
        });
        long beat = config.heartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::prune, 1, 10, TimeUnit.MINUTES);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (timers != null) {
            timers.shutdownNow();
        }
        if (tailer != null) {
            tailer.interrupt();
        }
        subscribers.forEach(Subscriber::close);
        subscribers.clear();
    }

    /** True when the stream runs in this process. */
    public boolean enabled() {
        return config.enabled() && running;
    }

    /** Clients connected now. */
    public int clients() {
        return subscribers.size();
    }

    /**
     * Opens a stream for a client: registers it, replays what it missed since {@code lastEventId} (null: start
     * live), and then lets live events through. Runs the replay on the calling (worker) thread, paced by the
     * client: a client that does not take its replay within {@code heartbeat * 2} is dropped.
     *
     * @param project only this project's events; null for all projects
     */
    public Subscriber open(String project, Long lastEventId, FrameSink sink) throws InterruptedException {
        Subscriber sub;
        long upTo;
        synchronized (this) {
            upTo = position;
            sub = new Subscriber(project, lastEventId == null ? upTo : lastEventId, config.clientBuffer(), sink,
                    StreamHub::render);
            subscribers.add(sub);
        }
        sub.control(new Frame(0, null, null, null, "connected"));
        if (lastEventId != null) {
            replay(sub, project, lastEventId, upTo);
        }
        sub.release();
        return sub;
    }

    private void replay(Subscriber sub, String project, long lastEventId, long upTo) throws InterruptedException {
        long pruned = store.prunedThrough();
        long head = Math.max(upTo, store.head());
        if (lastEventId < pruned || lastEventId > head) {
            String reason = lastEventId > head ? "unknown_last_event_id" : "last_event_id_too_old";
            ObjectNode reset = JSON.createObjectNode().put("reason", reason)
                    .put("last_event_id", Long.toString(lastEventId))
                    .put("detail", lastEventId > head
                            ? "this stream never sent that id; events follow from now, re-read the resources you follow"
                            : "events after that id were pruned (older than " + config.retention()
                                    + "); some may be missing: re-read the resources you follow");
            if (lastEventId > head) {
                reset.putNull("oldest_available");
            } else {
                reset.put("oldest_available", Long.toString(pruned + 1));
            }
            sub.control(Frame.control("stream.reset", reset.toString()));
        }
        long after = lastEventId;
        long deadlineStep = config.heartbeat().toNanos() * 2;
        while (after < upTo && !sub.isClosed()) {
            List<StreamEvent> page = store.page(project, after, upTo, BATCH);
            if (page.isEmpty()) {
                break;
            }
            for (StreamEvent e : page) {
                while (!sub.replay(e)) {
                    if (!sub.awaitRoom(System.nanoTime() + deadlineStep)) {
                        sub.drop("slow_consumer");
                        return;
                    }
                }
                after = e.seq();
            }
        }
    }

    /** The JSON {@code data:} of an event frame. */
    static Frame render(StreamEvent e) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", Long.toString(e.seq()))
                .put("type", e.type())
                .put("subject", e.subject())
                .put("project_id", e.projectId())
                .put("time", e.time().toString());
        body.set("data", e.data());
        return Frame.event(e, body.toString());
    }

    private void tail() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + StreamRecorder.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    drain(c);
                    pg.getNotifications((int) Math.max(1, config.pollInterval().toMillis()));
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("event stream tailer lost its connection (retrying): %s", e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void drain(Connection c) throws SQLException {
        while (true) {
            List<StreamEvent> batch = StreamStore.next(c, position, BATCH);
            if (batch.isEmpty()) {
                return;
            }
            for (StreamEvent e : batch) {
                synchronized (this) {
                    position = e.seq();
                }
                for (Subscriber s : subscribers) {
                    if (!s.offer(e)) {
                        subscribers.remove(s);
                    }
                }
                if (StreamTopics.TYPE_OPERATION_FINISHED.equals(e.type())) {
                    waiters.finished(e.subject());
                }
            }
        }
    }

    private void heartbeat() {
        for (Subscriber s : subscribers) {
            if (s.isClosed()) {
                subscribers.remove(s);
            } else {
                s.heartbeat();
            }
        }
    }

    private void prune() {
        try {
            int n = store.prune(Instant.now().minus(config.retention()));
            if (n > 0) {
                LOG.debugf("pruned %d stream events", n);
            }
        } catch (RuntimeException e) {
            LOG.warnf("pruning stream events failed (retried later): %s", e.toString());
        }
    }
}
