package io.virga.gateway.saga;

/**
 * One step of a saga. Contract for implementations:
 * <ul>
 *   <li><b>Idempotent.</b> A step may run again after a crash, a lost lease or a
 *       failed save: every remote call carries an idempotency key or is
 *       naturally idempotent (delete-by-owner, release-by-consumer).</li>
 *   <li><b>No local state.</b> What the step learns goes into the context's
 *       {@link SagaData} (saved only on success) or into its {@link TxWork}.</li>
 *   <li><b>Failures are exceptions.</b> A {@link io.grpc.StatusRuntimeException}
 *       is classified by the runner: transient (UNAVAILABLE, DEADLINE_EXCEEDED…)
 *       is retried with backoff, permanent is compensated at once — unless the
 *       step is {@link #cleanup()}, which is retried until it succeeds.</li>
 * </ul>
 */
public interface SagaStep {
    /** The step's name, as stored in {@code sagas.step} and shown in the operation. */
    String name();

    /** What the step does, for fault messages, e.g. "creating the boot volume". */
    String what();

    /** True for undo/delete steps: never give up, never compensate (nothing may leak). */
    default boolean cleanup() {
        return false;
    }

    StepResult run(SagaContext ctx) throws Exception;
}
