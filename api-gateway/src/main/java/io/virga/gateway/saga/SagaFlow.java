package io.virga.gateway.saga;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceTask;

/** The steps of one kind of saga and how they chain. */
public interface SagaFlow {
    SagaKind kind();

    /** The step a new saga starts with. */
    String firstStep();

    /**
     * The first undo step, run when a forward step asks to compensate.
     *
     * @throws IllegalStateException for a flow that cannot compensate (its steps are all cleanup)
     */
    String firstCompensationStep();

    /** @throws IllegalStateException for a name this flow does not know (a saga written by a newer version) */
    SagaStep step(String name);

    /**
     * The task the instance should show while the saga is at {@code step}, or
     * null to leave the instance's task alone.
     */
    InstanceTask taskOf(String step, SagaState state, Instance instance);
}
