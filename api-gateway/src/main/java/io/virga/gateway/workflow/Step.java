package io.virga.gateway.workflow;

/**
 * One step of a flow, working on a resource of type {@code R} with the flow's
 * data {@code D}. Contract for implementations:
 * <ul>
 *   <li><b>Idempotent.</b> A step may run again after a crash, a lost lease or a
 *       failed save: every remote call carries an idempotency key or is
 *       naturally idempotent (delete-by-owner, release-by-consumer).</li>
 *   <li><b>No local state.</b> What the step learns goes into the context's
 *       data (saved only when the step's outcome is saved) or into its {@link TxWork}.</li>
 *   <li><b>Failures are exceptions.</b> A {@link io.grpc.StatusRuntimeException}
 *       is classified by the runner ({@link Failures}): an outage (UNAVAILABLE,
 *       DEADLINE_EXCEEDED) is retried for a time budget, an internal error for
 *       a number of attempts, a refusal compensates at once — unless the step
 *       is {@link #cleanup()}, which is retried until it succeeds.</li>
 *   <li><b>Slow remote calls</b> are made outside any transaction; between
 *       several of them, call {@link StepContext#ensureLease()}.</li>
 * </ul>
 */
public interface Step<R, D> {
    /** The step's name, as stored in {@code workflows.step} and shown in the operation. */
    String name();

    /** What the step does, for fault messages, e.g. "creating the boot volume (storage-svc)". */
    String what();

    /** True for undo/delete steps: never give up, never compensate (nothing may leak). */
    default boolean cleanup() {
        return false;
    }

    StepResult run(StepContext<R, D> ctx) throws Exception;
}
