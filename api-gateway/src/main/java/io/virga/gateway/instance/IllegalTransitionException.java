package io.virga.gateway.instance;

/** A status change not declared in {@link InstanceTransitions}. */
public final class IllegalTransitionException extends RuntimeException
        implements io.virga.gateway.workflow.ConcurrentChange {
    private final InstanceStatus from;
    private final InstanceStatus to;

    public IllegalTransitionException(String instanceId, InstanceStatus from, InstanceStatus to) {
        super("instance " + instanceId + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public InstanceStatus from() {
        return from;
    }

    public InstanceStatus to() {
        return to;
    }
}
