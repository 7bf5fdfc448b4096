package io.virga.gateway.instance.migration;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.flow.InstanceFlow;
import io.virga.gateway.workflow.WorkflowState;

/** A flow moving an instance between hosts, on {@link MoveData}; the task is set when accepted and cleared at the end. */
public abstract class MoveFlow extends InstanceFlow<MoveData> {
    protected MoveFlow(MoveParts p) {
        super(p.instances, p.writer);
    }

    /** Adds a step (for {@link MoveFlows}). */
    final void addStep(io.virga.gateway.workflow.Step<Instance, MoveData> step) {
        add(step);
    }

    @Override
    public Class<MoveData> dataType() {
        return MoveData.class;
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        return null;
    }

    /**
     * A move proper (cold, live, evacuation): it starts by claiming the destination and
     * undoes from destroying what the destination holds ({@link MoveFlows}' shared undo).
     */
    abstract static class Moving extends MoveFlow {
        Moving(MoveParts p) {
            super(p);
        }

        @Override
        public String firstStep() {
            return MoveSteps.CLAIM_DESTINATION;
        }

        @Override
        public String firstCompensationStep() {
            return MoveEndSteps.DESTROY_DESTINATION;
        }
    }

    /** A flow whose every step is cleanup: it never compensates. */
    abstract static class Finishing extends MoveFlow {
        Finishing(MoveParts p) {
            super(p);
        }

        @Override
        public String firstCompensationStep() {
            throw new IllegalStateException(name() + " does not compensate; its steps retry until done");
        }
    }
}
