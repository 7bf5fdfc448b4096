package io.virga.gateway.workflow;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs workflows: a few worker threads each claim one due workflow (lease),
 * run its current step ({@link StepExecutor}) and save the outcome with the
 * step's database work in one transaction — one step at a time, so a crash
 * loses at most the step in flight, which is idempotent and runs again when
 * the lease expires.
 *
 * <p>Wake-ups ({@link WorkflowSignals}): idle workers wait on a semaphore that
 * is released after a workflow is started or a step saved (in process) and on
 * every {@code NOTIFY virga_workflows} (observations, other replicas); the
 * poll interval is only a fallback.
 *
 * <p>Leases ({@link WorkflowConfig#lease()}, default 15 s): a claim writes a
 * token unique to that claim and an expiry into the row. While a worker runs
 * the step, {@link LeaseKeeper} renews every lease the process holds every
 * lease / 3; when the process dies, its workflows are due again at most one
 * lease after its last renewal and another runner takes them over (running
 * the current step again). Every write for a claimed workflow — renewal, the
 * step's outcome, a release, a cancel — is fenced by the claim's token.
 *
 * <p>Shutdown ({@link #shutdown()}, on Quarkus' {@code ShutdownEvent}) hands
 * the workflows back instead of leaving their leases to run out: workers stop
 * claiming; steps in flight may finish for {@link WorkflowConfig#shutdownGrace()};
 * then one fenced UPDATE frees every lease this process still holds
 * ({@link WorkflowRepository#releaseLeasesOf}) and workers still inside a step
 * are interrupted (their leases are marked handed back, so they write
 * nothing). Idempotent; {@link #start()} may run the workers again.
 */
@ApplicationScoped
public class WorkflowRunner {
    private static final Logger LOG = Logger.getLogger(WorkflowRunner.class);

    private final WorkflowConfig config;
    private final WorkflowRepository workflows;
    private final WorkflowSignals signals;
    private final WorkflowMetrics metrics;
    private final StepExecutor executor;
    private final LeaseKeeper leases;
    private final String ownerPrefix = "gw-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final AtomicLong claims = new AtomicLong();
    private Workers workers; // those of the current start(); null when stopped. Guarded by this.
    private java.util.concurrent.Semaphore wake; // the permits of the current start(). Guarded by this.

    public WorkflowRunner(WorkflowConfig config, WorkflowRepository workflows, WorkflowSignals signals,
                          WorkflowMetrics metrics, StepExecutor executor) {
        this.config = config;
        this.workflows = workflows;
        this.signals = signals;
        this.metrics = metrics;
        this.executor = executor;
        this.leases = new LeaseKeeper(workflows, metrics, config.lease());
    }

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 100) StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        shutdown();
    }

    public synchronized void start() {
        if (workers != null) {
            return;
        }
        if (config.lease().toMillis() < 300) {
            throw new IllegalStateException("virga.workflow.lease must be at least 300ms, not " + config.lease());
        }
        leases.start();
        wake = new java.util.concurrent.Semaphore(0);
        signals.register(wake, config.workers(), config.listen());
        workers = Workers.start(config.workers(), wake, config.pollInterval(), new Workers.Round() {
            @Override
            public boolean run(Workers pool) throws Exception {
                return runOne(pool);
            }

            @Override
            public long idleMs(long max) throws Exception {
                return workflows.msUntilNextDue(max);
            }
        });
    }

    /**
     * Stops the workers and hands this process's leases back (see the class
     * comment): returns after at most {@link WorkflowConfig#shutdownGrace()}
     * plus one UPDATE. Idempotent; a no-op when not started.
     */
    public synchronized void shutdown() {
        Workers stopping = workers;
        if (stopping == null) {
            return;
        }
        workers = null;
        signals.unregister(wake);
        List<Thread> busy = stopping.stop(config.shutdownGrace());
        boolean interrupted = Thread.interrupted(); // hurried: still hand the leases back
        try {
            List<String> handedBack = leases.handBack(ownerPrefix);
            LOG.infof("workflow runner stopped: %d worker(s) still in a step after %s; handed back %d lease(s) %s",
                    busy.size(), config.shutdownGrace(), handedBack.size(), handedBack);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("workflow runner stopped, but handing its leases back failed (they run out within %s): %s",
                    config.lease(), e.toString());
        }
        busy.forEach(Thread::interrupt); // their leases are gone: cancel the remote calls in flight
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The prefix of every lease token this runner issues. */
    public String ownerPrefix() {
        return ownerPrefix;
    }

    /** Asks idle workers to look for due workflows now (call after committing a new workflow). */
    public void wakeUp() {
        signals.wakeUp();
    }

    /**
     * Claims one due workflow and runs its current step; if {@code pool} was
     * stopped while claiming, releases the claim untouched instead.
     *
     * @return false when no workflow was due
     */
    private boolean runOne(Workers pool) throws SQLException {
        String token = ownerPrefix + claims.incrementAndGet();
        var claimed = workflows.claimNext(token, config.lease());
        if (claimed.isEmpty()) {
            return false;
        }
        Workflow wf = claimed.get();
        metrics.pickedUp(Duration.between(wf.nextRunAt(), Instant.now()));
        Lease lease = leases.hold(wf.operationId(), token);
        try {
            if (!pool.active()) {
                workflows.release(wf.operationId(), token, wf.attempts(), wf.failingSince(), wf.nextRunAt());
                return true;
            }
            executor.execute(wf, lease);
        } finally {
            leases.drop(lease);
        }
        return true;
    }
}
