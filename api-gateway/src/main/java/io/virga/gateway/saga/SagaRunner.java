package io.virga.gateway.saga;

import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.IllegalTransitionException;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.StaleInstanceException;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Runs sagas: a few worker threads each claim one due saga (lease), run its
 * current step, and save the outcome with the step's database work in one
 * transaction — one step at a time, so a crash loses at most the step in
 * flight, which is idempotent and runs again when the lease expires.
 *
 * <p>Leases ({@link SagaConfig#lease()}, default 15 s): a claim writes a
 * token unique to that claim and an expiry into the saga's row. While a
 * worker runs the step, a background thread ({@link LeaseKeeper}) renews
 * every lease the process holds every lease / 3, so a slow step keeps its
 * saga; when the process dies, its sagas are due again at most one lease
 * after its last renewal and another runner takes them over (running the
 * current step again). Every write for a claimed saga — renewal, the step's
 * outcome, a release, a cancel — is fenced by the claim's token: a runner
 * that lost its lease changes nothing. When a renewal finds a lease lost,
 * the worker stops working on that saga at its next check (before the step,
 * between the remote calls of a step that makes several, after the step) and
 * writes nothing for it; a loss noticed only by the fenced outcome write
 * rolls that write back. Both count in {@code virga_saga_leases_lost_total}.
 *
 * <p>Shutdown ({@link #shutdown()}, run on Quarkus' {@code ShutdownEvent},
 * i.e. SIGTERM or {@code ./virga down}) hands the sagas back instead of
 * leaving their leases to run out:
 * <ol>
 * <li>the workers stop claiming sagas at once (a claim that completes after
 *     this point is released untouched straight away);</li>
 * <li>steps in flight may finish and save their outcome for at most
 *     {@link SagaConfig#shutdownGrace()} (default 5 s); the leases are still
 *     renewed meanwhile;</li>
 * <li>then renewal stops and one fenced UPDATE frees every lease this
 *     process still holds ({@link SagaRepository#releaseLeasesOf}: rows whose
 *     {@code lease_owner} is one of this process's tokens; owner and expiry
 *     cleared, progress and {@code next_run_at} kept), so any runner — another
 *     gateway, or this one restarted — takes them over at its next poll
 *     instead of up to one lease later. Other processes' leases are not
 *     touched;</li>
 * <li>workers still inside a step are interrupted (a remote call in flight is
 *     cancelled). Such a step is not saved: its lease is marked handed back,
 *     so the worker writes nothing, and should it reach a write anyway, the
 *     write is fenced by its token, which no row carries any more, and rolls
 *     back. The step runs again, idempotently, on the next runner.</li>
 * </ol>
 * A step that saved before the hand-back is kept (the hand-back then finds
 * that row free already). If the database cannot be reached at shutdown the
 * leases simply run out, as after a crash. Shutdown returns after the
 * grace period plus that one statement at most; it is idempotent, and
 * {@link #start()} may run the workers again afterwards (with new tokens).
 */
@ApplicationScoped
public class SagaRunner {
    private static final Logger LOG = Logger.getLogger(SagaRunner.class);

    private final SagaConfig config;
    private final SagaRepository sagas;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final OperationRepository operations;
    private final SagaMetrics metrics;
    private final Tx tx;
    private final CreateFlow createFlow;
    private final DeleteFlow deleteFlow;
    private final LeaseKeeper leases;
    private final String ownerPrefix = "gw-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final AtomicLong claims = new AtomicLong();
    private final Semaphore wake = new Semaphore(0);
    private SagaWorkers workers; // those of the current start(); null when stopped. Guarded by this.

    public SagaRunner(SagaConfig config, SagaRepository sagas, InstanceRepository instances,
                      InstanceStateWriter writer, OperationRepository operations, SagaMetrics metrics, Tx tx,
                      CreateFlow createFlow, DeleteFlow deleteFlow) {
        this.config = config;
        this.sagas = sagas;
        this.instances = instances;
        this.writer = writer;
        this.operations = operations;
        this.metrics = metrics;
        this.tx = tx;
        this.createFlow = createFlow;
        this.deleteFlow = deleteFlow;
        this.leases = new LeaseKeeper(sagas, metrics, config.lease());
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
            throw new IllegalStateException("virga.saga.lease must be at least 300ms, not " + config.lease());
        }
        leases.start();
        workers = SagaWorkers.start(config.workers(), wake, config.pollInterval(), this::runOne);
    }

    /**
     * Stops the workers and hands this process's leases back (see the class
     * comment): returns after at most {@link SagaConfig#shutdownGrace()} plus
     * the hand-back's database work (one UPDATE, after the renewer stops —
     * a renewal stuck on a slow database is waited for up to 5 s).
     * Idempotent; a no-op when not started.
     */
    public synchronized void shutdown() {
        SagaWorkers stopping = workers;
        if (stopping == null) {
            return;
        }
        workers = null;
        List<Thread> busy = stopping.stop(config.shutdownGrace());
        boolean interrupted = Thread.interrupted(); // hurried: still hand the leases back
        try {
            List<String> handedBack = leases.handBack(ownerPrefix);
            LOG.infof("saga runner stopped: %d worker(s) still in a step after %s; handed back %d lease(s) %s",
                    busy.size(), config.shutdownGrace(), handedBack.size(), handedBack);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("saga runner stopped, but handing its leases back failed (they run out within %s): %s",
                    config.lease(), e.toString());
        }
        busy.forEach(Thread::interrupt); // their leases are gone: cancel the remote calls in flight
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The prefix of every lease token this runner issues (tests). */
    String ownerPrefix() {
        return ownerPrefix;
    }

    /** Asks idle workers to look for due sagas now (call after committing a new saga). */
    public void wakeUp() {
        wake.release(Math.max(1, config.workers()));
    }

    /**
     * Claims one due saga and runs its current step; if {@code pool} was
     * stopped while claiming, releases the claim untouched instead.
     *
     * @return false when no saga was due
     */
    private boolean runOne(SagaWorkers pool) throws SQLException {
        String token = ownerPrefix + claims.incrementAndGet();
        var claimed = sagas.claimNext(token, config.lease());
        if (claimed.isEmpty()) {
            return false;
        }
        SagaRecord saga = claimed.get();
        Lease lease = leases.hold(saga.operationId(), token);
        try {
            if (!pool.active()) {
                sagas.release(saga.operationId(), token, saga.attempts(), saga.nextRunAt());
                return true;
            }
            execute(saga, lease);
        } finally {
            leases.drop(lease);
        }
        return true;
    }

    private void execute(SagaRecord saga, Lease lease) throws SQLException {
        String owner = lease.token();
        SagaFlow flow = saga.kind() == SagaKind.CREATE ? createFlow : deleteFlow;
        Instance instance = tx.run(c -> instances.find(c, saga.instanceId())).orElseThrow(
                () -> new IllegalStateException("saga " + saga.operationId() + " has no instance"));
        if (saga.kind() == SagaKind.CREATE && (instance.status() == InstanceStatus.DELETING
                || instance.status() == InstanceStatus.DELETED)) {
            cancel(saga, lease);
            return;
        }
        SagaStep step = flow.step(saga.step());
        if (lease.lost()) {
            return;
        }
        tx.run(c -> {
            operations.beginStep(c, saga.operationId(), step.name());
            return null;
        });
        SagaContext ctx = new SagaContext(saga, instance, lease);
        StepResult result;
        try {
            result = step.run(ctx);
        } catch (LeaseLostException e) {
            abandoned(saga, lease, step);
            return;
        } catch (StatusRuntimeException e) {
            result = lease.lost() ? null : failed(saga, lease, step,
                    SagaFailures.isTransient(e.getStatus().getCode()), SagaFailures.describe(e));
        } catch (Exception e) {
            LOG.warnf(e, "saga %s step %s failed unexpectedly", saga.operationId(), step.name());
            result = lease.lost() ? null : failed(saga, lease, step, true, "internal error: " + e);
        }
        if (lease.lost()) {
            abandoned(saga, lease, step);
            return;
        }
        if (result == null) {
            return; // retry later; the lease is already released
        }
        try {
            save(saga, lease, flow, step, ctx, result);
        } catch (StaleInstanceException | IllegalTransitionException e) {
            // the instance changed under the step (e.g. a delete arrived): run the step again, it re-reads
            LOG.debugf("saga %s step %s raced with a change of %s: %s", saga.operationId(), step.name(),
                    saga.instanceId(), e.getMessage());
            sagas.release(saga.operationId(), owner, saga.attempts(), Instant.now());
        } catch (LeaseLostException e) {
            writeFenced(saga, lease, step.name());
        }
    }

    /** The saga was taken over (or handed back) while its step ran: nothing of this run is written. */
    private void abandoned(SagaRecord saga, Lease lease, SagaStep step) {
        if (lease.handedBack()) {
            LOG.infof("saga %s: lease handed back at shutdown during step %s; not saving it, the next runner"
                    + " runs the step again", saga.operationId(), step.name());
            return;
        }
        LOG.warnf("saga %s: lease lost during step %s; not saving it, another runner continues",
                saga.operationId(), step.name());
    }

    /** The fenced write of an outcome found another runner's token (or none) and was rolled back. */
    private void writeFenced(SagaRecord saga, Lease lease, String what) {
        if (lease.handedBack()) {
            LOG.infof("saga %s: lease handed back at shutdown before %s was saved; rolled back",
                    saga.operationId(), what);
            return;
        }
        metrics.leaseLost("write");
        LOG.warnf("saga %s: lease lost before %s was saved; rolled back, another runner continues",
                saga.operationId(), what);
    }

    /**
     * A step failed. Retry later (released lease, backoff) and return null; or,
     * when a forward step's failure is permanent or its attempts are used up,
     * return the compensation to save.
     */
    private StepResult failed(SagaRecord saga, Lease lease, SagaStep step, boolean transientFailure,
                              String why) {
        metrics.stepFailed(saga.kind(), step.name(), transientFailure);
        int attempts = saga.attempts() + 1;
        if (step.cleanup() || (transientFailure && attempts < config.maxAttempts())) {
            String note = "attempt " + attempts + " failed: " + why + "; retrying";
            Instant retryAt = Instant.now().plusMillis(backoffMs(attempts));
            lease.settle();
            try {
                tx.run(c -> {
                    if (!sagas.release(c, saga.operationId(), lease.token(), attempts, retryAt)) {
                        throw new LeaseLostException();
                    }
                    operations.noteStep(c, saga.operationId(), step.name(), note);
                    return null;
                });
            } catch (LeaseLostException e) {
                writeFenced(saga, lease, "the failure of " + step.name());
            }
            return null;
        }
        String message = step.what() + " failed" + (transientFailure ? " after " + attempts + " attempts" : "")
                + ": " + why;
        return StepResult.compensate(message, transientFailure ? Fault.SERVICE_UNAVAILABLE : Fault.STEP_REFUSED);
    }

    long backoffMs(int attempts) {
        long base = config.retryBackoff().toMillis() << Math.min(attempts - 1, 16);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private void save(SagaRecord saga, Lease lease, SagaFlow flow, SagaStep step, SagaContext ctx,
                      StepResult result) {
        String owner = lease.token();
        lease.settle();
        tx.run(c -> {
            String opId = saga.operationId();
            SagaUpdate update;
            TxWork work = TxWork.NONE;
            if (result instanceof StepResult.Next n) {
                update = new SagaUpdate(n.step(), saga.state(), 0, ctx.excludedHosts(), ctx.data(),
                        n.clearObserved(), n.runAt());
                operations.finishStep(c, opId, step.name(), OperationStatus.SUCCEEDED, n.detail());
                work = n.work();
            } else if (result instanceof StepResult.Wait w) {
                update = new SagaUpdate(saga.step(), saga.state(), saga.attempts(), ctx.excludedHosts(),
                        ctx.data(), w.clearObserved(), w.until());
                operations.noteStep(c, opId, step.name(), w.detail());
            } else if (result instanceof StepResult.Compensate k) {
                ctx.data().fault = k.fault();
                update = new SagaUpdate(flow.firstCompensationStep(), SagaState.COMPENSATING, 0,
                        ctx.excludedHosts(), ctx.data(), true, Instant.now());
                operations.finishStep(c, opId, step.name(), OperationStatus.FAILED, k.fault().message());
                work = k.work();
            } else {
                StepResult.Finish f = (StepResult.Finish) result;
                update = new SagaUpdate(saga.step(), f.state(), 0, ctx.excludedHosts(), ctx.data(), true,
                        Instant.now());
                operations.finishStep(c, opId, step.name(), OperationStatus.SUCCEEDED, f.detail());
                work = f.work();
            }
            if (!sagas.save(c, opId, owner, update)) {
                throw new LeaseLostException();
            }
            work.apply(c, current(c, saga));
            if (!update.state().isFinal()) {
                Instance now = current(c, saga);
                InstanceTask task = flow.taskOf(update.step(), update.state(), now);
                if (task != null && task != now.task()) {
                    writer.apply(c, now, InstanceChange.of(now).task(task));
                }
            }
            return null;
        });
        if (result instanceof StepResult.Next || result instanceof StepResult.Compensate) {
            wake.release();
        }
    }

    /** The instance is being deleted: stop building; the delete saga cleans up. */
    private void cancel(SagaRecord saga, Lease lease) {
        lease.settle();
        try {
            tx.run(c -> {
                SagaUpdate update = new SagaUpdate(saga.step(), SagaState.CANCELLED, saga.attempts(),
                        saga.excludedHosts(), saga.data(), true, Instant.now());
                if (!sagas.save(c, saga.operationId(), lease.token(), update)) {
                    throw new LeaseLostException();
                }
                operations.finish(c, saga.operationId(), OperationStatus.FAILED,
                        new Fault("the instance was deleted while it was being built", Fault.CANCELLED));
                return null;
            });
        } catch (LeaseLostException e) {
            writeFenced(saga, lease, "its cancellation");
        }
    }

    private Instance current(java.sql.Connection c, SagaRecord saga) throws SQLException {
        return instances.find(c, saga.instanceId()).orElseThrow();
    }
}
