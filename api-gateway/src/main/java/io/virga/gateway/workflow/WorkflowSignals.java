package io.virga.gateway.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes idle workflow workers when there is work, so that no poll interval
 * stands on the critical path:
 * <ul>
 *   <li>in process: {@link #wakeUp()} after a transaction that made a workflow
 *       due has committed (a new workflow, a saved step);</li>
 *   <li>across processes: {@link #notify(Connection, String)} inside such a
 *       transaction sends {@code NOTIFY virga_workflows}, which PostgreSQL
 *       delivers when (and only if) it commits; every runner listens on one
 *       dedicated connection ({@link #listen()}) and wakes its workers. The
 *       event consumers (observations) rely on this, and so do other replicas.</li>
 * </ul>
 * The workers' poll stays as a fallback (timers, a lost listener connection).
 */
@ApplicationScoped
public class WorkflowSignals {
    public static final String CHANNEL = "virga_workflows";
    private static final Logger LOG = Logger.getLogger(WorkflowSignals.class);

    private final DataSource dataSource;
    /** The wake-up permits of each started runner, with its worker count. */
    private final java.util.Map<Semaphore, Integer> runners = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean listening;
    private Thread listener;

    public WorkflowSignals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sends the wake-up to every runner when {@code c}'s transaction commits. */
    public static void notify(Connection c, String operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, operationId == null ? "" : operationId);
            ps.execute();
        }
    }

    /** Wakes this process's idle workers (call after committing work for them). */
    public void wakeUp() {
        runners.forEach((s, n) -> s.release(Math.max(1, n)));
    }

    /** Wakes one idle worker of each runner. */
    void wakeOne() {
        runners.keySet().forEach(Semaphore::release);
    }

    /** Registers a runner's permits (released on every wake-up); starts listening if asked. */
    synchronized void register(Semaphore wake, int workers, boolean listen) {
        runners.put(wake, workers);
        if (listen) {
            listen();
        }
    }

    /** Forgets a runner's permits; stops listening when no runner is left. */
    synchronized void unregister(Semaphore wake) {
        runners.remove(wake);
        if (runners.isEmpty()) {
            stopListening();
        }
    }

    /** Starts listening for NOTIFY on its own connection (reconnecting after failures). Idempotent. */
    private synchronized void listen() {
        if (listening) {
            return;
        }
        listening = true;
        listener = new Thread(this::loop, "workflow-notify-listener");
        listener.setDaemon(true);
        listener.start();
    }

    private synchronized void stopListening() {
        listening = false;
        if (listener != null) {
            listener.interrupt();
            listener = null;
        }
    }

    private void loop() {
        while (listening) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                wakeUp(); // anything notified while we were not listening
                while (listening) {
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        runners.forEach((s, n) -> s.release(Math.min(got.length, Math.max(1, n))));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!listening) {
                    return;
                }
                LOG.warnf("workflow NOTIFY listener lost its connection (workers still poll): %s", e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
