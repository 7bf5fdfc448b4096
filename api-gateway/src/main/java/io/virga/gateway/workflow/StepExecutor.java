package io.virga.gateway.workflow;

import io.grpc.StatusRuntimeException;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the current step of one claimed workflow and saves its outcome,
 * fenced by the claim's lease token: the step's {@link TxWork}, the new
 * workflow state, the operation's step record, the consumed observations and
 * — when the workflow ends — the operation's end and the promotion of a
 * workflow waiting on the same resource, all in one transaction.
 */
@ApplicationScoped
public class StepExecutor {
    private static final Logger LOG = Logger.getLogger(StepExecutor.class);

    private final FlowRegistry flows;
    private final WorkflowRepository workflows;
    private final Mailbox mailbox;
    private final OperationRepository operations;
    private final WorkflowSignals signals;
    private final WorkflowMetrics metrics;
    private final RetryPolicy retries;
    private final Tx tx;

    public StepExecutor(FlowRegistry flows, WorkflowRepository workflows, Mailbox mailbox,
                        OperationRepository operations, WorkflowSignals signals, WorkflowMetrics metrics,
                        RetryPolicy retries, Tx tx) {
        this.flows = flows;
        this.workflows = workflows;
        this.mailbox = mailbox;
        this.operations = operations;
        this.signals = signals;
        this.metrics = metrics;
        this.retries = retries;
        this.tx = tx;
    }

    @SuppressWarnings("unchecked")
    void execute(Workflow wf, Lease lease) {
        Flow<Object, Object> flow = (Flow<Object, Object>) flows.find(wf.flow()).orElse(null);
        if (flow == null) {
            postpone(wf, lease, "this build has no flow " + wf.flow());
            return;
        }
        if (wf.cancelRequested()) {
            cancel(flow, wf, lease);
            return;
        }
        Object data;
        Step<Object, Object> step;
        try {
            data = FlowData.read(flow, wf.data());
            step = flow.step(wf.step());
        } catch (IllegalStateException e) {
            postpone(wf, lease, e.getMessage());
            return;
        }
        record Loaded(Object resource, List<Observation> observations) {
        }
        Loaded loaded = tx.run(c -> {
            operations.beginStep(c, wf.operationId(), step.name());
            return new Loaded(flow.load(c, wf.resourceId()), mailbox.pending(c, wf.operationId()));
        });
        if (lease.lost()) {
            return;
        }
        StepContext<Object, Object> ctx = new StepContext<>(wf, loaded.resource(), data, loaded.observations(),
                lease);
        StepResult result;
        try {
            result = step.run(ctx);
        } catch (LeaseLostException e) {
            abandoned(wf, lease, step.name());
            return;
        } catch (StatusRuntimeException e) {
            result = lease.lost() ? null : retries.failed(wf, lease, flow, step,
                    Failures.classify(e.getStatus().getCode()), Failures.describe(e));
        } catch (Exception e) {
            LOG.warnf(e, "workflow %s step %s failed unexpectedly", wf.operationId(), step.name());
            result = lease.lost() ? null : retries.failed(wf, lease, flow, step, Failures.Kind.ERROR,
                    "internal error: " + e);
        }
        if (lease.lost()) {
            abandoned(wf, lease, step.name());
            return;
        }
        if (result == null) {
            return; // retried later; the lease is already released
        }
        try {
            save(flow, wf, lease, step, ctx, result);
        } catch (RuntimeException e) {
            if (e instanceof ConcurrentChange) {
                LOG.debugf("workflow %s step %s raced with a change of %s %s: %s", wf.operationId(), step.name(),
                        wf.resourceType(), wf.resourceId(), e.getMessage());
                release(wf, lease, Instant.now());
            } else if (e instanceof LeaseLostException) {
                writeFenced(wf, lease, step.name());
            } else {
                throw e;
            }
        }
    }

    private void save(Flow<Object, Object> flow, Workflow wf, Lease lease, Step<Object, Object> step,
                      StepContext<Object, Object> ctx, StepResult result) {
        String opId = wf.operationId();
        lease.settle();
        WorkflowState end = tx.run(c -> {
            WorkflowRepository.Update update;
            TxWork work;
            Long consumed = ctx.lastObservationId() == 0 ? null : ctx.lastObservationId();
            boolean consume = false;
            if (result instanceof StepResult.Next n) {
                update = new WorkflowRepository.Update(n.step(), wf.state(), 0, null, FlowData.write(flow, ctx.data()),
                        n.runAt());
                operations.finishStep(c, opId, step.name(), OperationStatus.SUCCEEDED, n.detail());
                work = n.work();
                consume = n.consume();
            } else if (result instanceof StepResult.Wait w) {
                update = new WorkflowRepository.Update(wf.step(), wf.state(), wf.attempts(), null,
                        FlowData.write(flow, ctx.data()), w.until());
                operations.noteStep(c, opId, step.name(), w.detail());
                work = TxWork.NONE;
                consume = w.consume();
            } else if (result instanceof StepResult.Compensate k) {
                Object data = ctx.data();
                if (data instanceof CompensationAware aware) {
                    aware.compensating(k.fault());
                }
                update = new WorkflowRepository.Update(flow.firstCompensationStep(), WorkflowState.COMPENSATING, 0,
                        null, FlowData.write(flow, data), Instant.now());
                operations.finishStep(c, opId, step.name(), OperationStatus.FAILED, k.fault().message());
                work = k.work();
            } else {
                StepResult.Finish f = (StepResult.Finish) result;
                update = new WorkflowRepository.Update(wf.step(), f.state(), 0, null, FlowData.write(flow, ctx.data()),
                        Instant.now());
                operations.finishStep(c, opId, step.name(), f.state() == WorkflowState.SUCCEEDED
                        ? OperationStatus.SUCCEEDED : OperationStatus.FAILED, f.detail());
                work = f.work();
            }
            if (consume && consumed != null) {
                mailbox.consume(c, opId, consumed);
            }
            if (!workflows.save(c, opId, lease.token(), update)) {
                throw new LeaseLostException();
            }
            work.apply(c);
            if (update.state().isFinal()) {
                ended(c, flow, wf, update.state(), null);
            } else {
                flow.afterStep(c, wf.resourceId(), update.step(), update.state());
            }
            return update.state();
        });
        if (end.isFinal()) {
            metrics.finished(flow.name(), end);
        } else {
            signals.wakeOne(); // the next step is usually due now
        }
    }

    /** The workflow was asked to stop (e.g. its resource is being deleted): end it CANCELLED. */
    private void cancel(Flow<Object, Object> flow, Workflow wf, Lease lease) {
        lease.settle();
        try {
            tx.run(c -> {
                WorkflowRepository.Update update = new WorkflowRepository.Update(wf.step(), WorkflowState.CANCELLED,
                        wf.attempts(), null, wf.data(), Instant.now());
                if (!workflows.save(c, wf.operationId(), lease.token(), update)) {
                    throw new LeaseLostException();
                }
                flow.onCancel(wf).apply(c);
                ended(c, flow, wf, WorkflowState.CANCELLED, flow.cancelFault(wf));
                return null;
            });
            metrics.finished(flow.name(), WorkflowState.CANCELLED);
        } catch (LeaseLostException e) {
            writeFenced(wf, lease, "its cancellation");
        }
    }

    /** In the ending transaction: close the operation, drop the mailbox, let a waiting workflow run. */
    private void ended(java.sql.Connection c, Flow<Object, Object> flow, Workflow wf, WorkflowState state,
                       Fault fault) throws Exception {
        if (state == WorkflowState.SUCCEEDED) {
            operations.finish(c, wf.operationId(), OperationStatus.SUCCEEDED, null);
        } else {
            operations.finish(c, wf.operationId(), OperationStatus.FAILED, fault != null ? fault
                    : new Fault(flow.name() + " failed", Fault.STEP_REFUSED));
        }
        mailbox.consume(c, wf.operationId(), null);
        var next = workflows.promoteWaiting(c, wf.resourceType(), wf.resourceId());
        if (next.isPresent()) {
            WorkflowSignals.notify(c, next.get());
        }
    }

    /** Cannot run this workflow now (unknown flow or step, unreadable data): look again later. */
    private void postpone(Workflow wf, Lease lease, String why) {
        LOG.errorf("workflow %s (%s at %s) cannot run in this build: %s; retrying in a minute", wf.operationId(),
                wf.flow(), wf.step(), why);
        release(wf, lease, Instant.now().plusSeconds(60));
    }

    private void release(Workflow wf, Lease lease, Instant at) {
        lease.settle();
        try {
            workflows.release(wf.operationId(), lease.token(), wf.attempts(), wf.failingSince(), at);
        } catch (java.sql.SQLException e) {
            LOG.warnf("workflow %s: releasing its lease failed (it runs out): %s", wf.operationId(), e.toString());
        }
    }

    /** The workflow was taken over (or handed back) while its step ran: nothing of this run is written. */
    private void abandoned(Workflow wf, Lease lease, String step) {
        if (lease.handedBack()) {
            LOG.infof("workflow %s: lease handed back at shutdown during step %s; not saving it, the next runner"
                    + " runs the step again", wf.operationId(), step);
            return;
        }
        LOG.warnf("workflow %s: lease lost during step %s; not saving it, another runner continues",
                wf.operationId(), step);
    }

    /** The fenced write of an outcome found another runner's token (or none) and was rolled back. */
    void writeFenced(Workflow wf, Lease lease, String what) {
        if (lease.handedBack()) {
            LOG.infof("workflow %s: lease handed back at shutdown before %s was saved; rolled back",
                    wf.operationId(), what);
            return;
        }
        metrics.leaseLost("write");
        LOG.warnf("workflow %s: lease lost before %s was saved; rolled back, another runner continues",
                wf.operationId(), what);
    }
}
