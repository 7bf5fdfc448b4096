package io.virga.gateway.saga;

/**
 * RUNNING (forward steps) and COMPENSATING (undoing, in reverse) are
 * runnable; SUCCEEDED, FAILED (compensated) and CANCELLED (a create stopped
 * because the instance is being deleted) are final.
 */
public enum SagaState {
    RUNNING, COMPENSATING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this != RUNNING && this != COMPENSATING;
    }
}
