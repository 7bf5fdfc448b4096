package io.virga.gateway.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A kind of workflow: its steps and how they chain, the type of resource it
 * works on ({@code R}) and its typed, versioned data ({@code D}). Flows are
 * CDI beans, found by {@link FlowRegistry} under {@link #name()}; a new flow is
 * one class (usually extending {@link StepTable}) plus its steps.
 *
 * <p>Data versions: the data is stored as JSON with a {@code version} field
 * (none: version 1). When a flow changes the shape of its data it raises
 * {@link #dataVersion()} and teaches {@link #upgrade} to lift the previous
 * version by one, so a workflow written by an older build still runs after an
 * upgrade. A row with a version newer than this build knows is not run (it
 * waits for a runner of that build).
 */
public interface Flow<R, D> {
    /** The flow's stable name, stored in {@code workflows.flow}, e.g. {@code instance.create}. */
    String name();

    /** The type of resource it works on, stored in {@code workflows.resource_type}, e.g. {@code instance}. */
    String resourceType();

    Class<D> dataType();

    /** The version of {@link #dataType()} this build writes (1 for a flow whose data never changed). */
    default int dataVersion() {
        return 1;
    }

    /**
     * Lifts data of version {@code from} (below {@link #dataVersion()}) to
     * {@code from + 1}, in place or as a copy. Pure: no I/O.
     */
    default ObjectNode upgrade(ObjectNode data, int from) {
        throw new IllegalStateException(name() + " has no upgrade from data version " + from);
    }

    /** The step a new workflow starts with. */
    String firstStep();

    /**
     * The first undo step, run when a forward step asks to compensate.
     *
     * @throws IllegalStateException for a flow that cannot compensate (its steps are all cleanup)
     */
    String firstCompensationStep();

    /** @throws IllegalStateException for a name this flow does not know (a workflow written by a newer build) */
    Step<R, D> step(String name);

    /**
     * The resource as it is now, read in {@code c}; given to each step.
     *
     * @throws IllegalStateException when it does not exist
     */
    R load(Connection c, String resourceId) throws SQLException;

    /**
     * Called in the transaction that saves a non-final outcome, with the
     * resource as it is after the step's own work (e.g. to show the task the
     * next step stands for). Default: nothing.
     */
    default void afterStep(Connection c, String resourceId, String nextStep, WorkflowState state) throws Exception {
    }

    /**
     * Database work when the workflow is cancelled (another operation asked it
     * to stop, e.g. a delete), run in the transaction that ends it. Default: nothing.
     */
    default TxWork onCancel(Workflow workflow) {
        return TxWork.NONE;
    }

    /** The fault a cancelled workflow's operation ends with. */
    default io.virga.gateway.instance.Fault cancelFault(Workflow workflow) {
        return new io.virga.gateway.instance.Fault("cancelled: a later operation on " + workflow.resourceType() + " "
                + workflow.resourceId() + " took over", io.virga.gateway.instance.Fault.CANCELLED);
    }
}
