package io.virga.gateway.workflow;

/**
 * The states of a workflow row.
 * <pre>
 * WAITING ──(the resource's active workflow ended)──▶ RUNNING ──▶ SUCCEEDED
 *                                                      │  └─────▶ CANCELLED (cancel requested)
 *                                                      └─(a forward step gave up)─▶ COMPENSATING ──▶ FAILED
 * </pre>
 * RUNNING and COMPENSATING are <em>active</em> (at most one per resource, by
 * a partial unique index) and runnable; WAITING is queued behind the active
 * one (at most one per resource); the others are final.
 */
public enum WorkflowState {
    WAITING, RUNNING, COMPENSATING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return this == RUNNING || this == COMPENSATING;
    }
}
