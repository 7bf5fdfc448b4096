package io.virga.gateway.workflow;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The workflow leases this process holds, renewed together in the background:
 * every {@code lease / 3} one statement extends, to now + lease, each held
 * workflow whose row still carries this claim's token
 * ({@link WorkflowRepository#renewLeases}). So a step may take far longer than
 * the lease while its runner lives, and a dead runner's workflows are free at
 * most one lease after its last renewal.
 *
 * <p>Renewal is fenced by the token: a workflow another runner took over (its
 * row carries that runner's token) is never extended — the renewal finds no
 * row, marks the {@link Lease} lost, and the holder stops at its next check
 * without writing anything for that workflow. A failed renewal (database
 * unreachable) is logged and retried at the next tick; the leases then run
 * out in the database, as if this process had died.
 *
 * <p>On shutdown {@link #handBack} stops the renewals and frees all of this
 * process's leases at once, so the next runner need not wait for them to run out.
 */
final class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final WorkflowRepository workflows;
    private final WorkflowMetrics metrics;
    private final Duration lease;
    private final Duration interval;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile boolean running;

    LeaseKeeper(WorkflowRepository workflows, WorkflowMetrics metrics, Duration lease) {
        this.workflows = workflows;
        this.metrics = metrics;
        this.lease = lease;
        this.interval = renewalInterval(lease);
    }

    /** How often leases are renewed: a third of the lease, so two renewals in a row may fail before one runs out. */
    static Duration renewalInterval(Duration lease) {
        return lease.dividedBy(3);
    }

    Duration interval() {
        return interval;
    }

    /** Starts renewing {@code token}'s claim of {@code operationId} (just claimed for a full lease). */
    Lease hold(String operationId, String token) {
        Lease l = new Lease(operationId, token);
        held.put(token, l);
        return l;
    }

    /** Stops renewing {@code l} (its outcome was written, or it was lost). */
    void drop(Lease l) {
        held.remove(l.token(), l);
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "workflow-lease-renewer");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /**
     * Stops renewing, marks every held lease {@linkplain Lease#handedBack() handed back} (its holder stops at
     * its next check and writes nothing) and frees, in one fenced UPDATE, every workflow whose lease token starts
     * with {@code ownerPrefix} — held leases and claims not yet registered here alike. Leases of other
     * processes are untouched.
     *
     * @return the operation ids of the workflows handed back
     * @throws SQLException if the database could not be reached: the leases then run out on their own
     */
    List<String> handBack(String ownerPrefix) throws SQLException {
        stop(); // first: a renewal racing with the hand-back would report the leases as lost
        for (Lease l : held.values()) {
            l.markHandedBack();
            drop(l);
        }
        return workflows.releaseLeasesOf(ownerPrefix);
    }

    private void loop() {
        // a renewer left over from before a stop()/start() (stuck in the database past the join) retires
        while (running && thread == Thread.currentThread()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                renewNow();
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("renewing %d workflow leases failed (retrying in %d ms): %s", held.size(),
                            interval.toMillis(), e.toString());
                }
            }
        }
    }

    /**
     * One renewal round: extends every held lease still in the database and
     * marks the others lost (unless their holder is writing the outcome,
     * which frees the lease itself).
     *
     * @return how many leases were renewed
     */
    int renewNow() throws SQLException {
        Map<String, String> tokens = new LinkedHashMap<>(); // token -> operation id
        held.values().forEach(l -> tokens.put(l.token(), l.operationId()));
        if (tokens.isEmpty()) {
            return 0;
        }
        Set<String> renewed = workflows.renewLeases(tokens, lease);
        List<Lease> gone = held.values().stream()
                .filter(l -> tokens.containsKey(l.token()) && !renewed.contains(l.token()) && !l.settling())
                .toList();
        for (Lease l : gone) {
            l.markLost();
            drop(l);
            metrics.leaseLost("renewal");
            LOG.warnf("workflow %s: lease %s was taken over by another runner; this one stops working on it",
                    l.operationId(), l.token());
        }
        return renewed.size();
    }
}
