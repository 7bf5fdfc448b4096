package io.virga.gateway.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Optional;

/**
 * Starting workflows, in the caller's transaction (with whatever the request
 * writes: the resource's change, the operation record, an idempotency answer),
 * and waking the runners once it committed.
 *
 * <p>One active workflow per resource: {@link #start} refuses a resource that
 * has one ({@link BusyResourceException}, decided by the database's partial
 * unique index, so two racing requests cannot both win).
 * {@link #startPreempting} is for work that must not be refused (delete): it
 * asks the active workflow to cancel and queues behind it.
 */
@ApplicationScoped
public class Workflows {
    private static final String UNIQUE_VIOLATION = "23505";

    private final WorkflowRepository repository;
    private final WorkflowSignals signals;

    public Workflows(WorkflowRepository repository, WorkflowSignals signals) {
        this.repository = repository;
        this.signals = signals;
    }

    /**
     * Inserts a RUNNING workflow of {@code flow} on {@code resourceId}, due now,
     * for operation {@code operationId} (which the caller inserted in {@code c}).
     *
     * @throws BusyResourceException when the resource has an active workflow
     *                               ({@code c} stays usable: the insert is rolled back to a savepoint)
     */
    public <R, D> void start(Connection c, String operationId, Flow<R, D> flow, String resourceId, D data)
            throws SQLException {
        insert(c, operationId, flow, resourceId, data, WorkflowState.RUNNING);
        WorkflowSignals.notify(c, operationId);
    }

    /**
     * Starts {@code flow} on {@code resourceId} even if it is busy: the active
     * workflow (if any) is asked to cancel at its next step and the new one
     * waits (WAITING) until it has ended, then runs.
     *
     * @return the state the new workflow starts in (RUNNING or WAITING)
     * @throws BusyResourceException if another workflow is already waiting on the resource
     */
    public <R, D> WorkflowState startPreempting(Connection c, String operationId, Flow<R, D> flow, String resourceId,
                                                D data) throws SQLException {
        Optional<Workflow> active = repository.active(c, flow.resourceType(), resourceId);
        if (active.isEmpty()) {
            start(c, operationId, flow, resourceId, data);
            return WorkflowState.RUNNING;
        }
        repository.requestCancel(c, active.get().operationId());
        insert(c, operationId, flow, resourceId, data, WorkflowState.WAITING);
        WorkflowSignals.notify(c, active.get().operationId());
        return WorkflowState.WAITING;
    }

    /** The resource's active workflow, if any. */
    public Optional<Workflow> active(Connection c, String resourceType, String resourceId) throws SQLException {
        return repository.active(c, resourceType, resourceId);
    }

    /** Wakes this process's runner: call after the transaction that started a workflow committed. */
    public void wakeUp() {
        signals.wakeUp();
    }

    private <R, D> void insert(Connection c, String operationId, Flow<R, D> flow, String resourceId, D data,
                               WorkflowState state) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            repository.insert(c, operationId, flow.name(), flow.resourceType(), resourceId, flow.firstStep(), state,
                    FlowData.write(flow, data));
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(sp);
            Optional<Workflow> busy = state == WorkflowState.WAITING
                    ? repository.waiting(c, flow.resourceType(), resourceId)
                    : repository.active(c, flow.resourceType(), resourceId);
            throw new BusyResourceException(flow.resourceType(), resourceId,
                    busy.map(Workflow::operationId).orElse(null), busy.map(Workflow::flow).orElse(null));
        }
    }
}
