package io.virga.gateway.workflow;

/**
 * A workflow was to start on a resource that already has an active one (the
 * database's one-active-per-resource index said no). Carries the running
 * operation's id for the 409 answer.
 */
public final class BusyResourceException extends RuntimeException {
    private final String resourceType;
    private final String resourceId;
    private final String runningOperationId;
    private final String runningFlow;

    public BusyResourceException(String resourceType, String resourceId, String runningOperationId,
                                 String runningFlow) {
        super(resourceType + " " + resourceId + " is busy with operation " + runningOperationId
                + (runningFlow == null ? "" : " (" + runningFlow + ")") + "; retry when it has finished");
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.runningOperationId = runningOperationId;
        this.runningFlow = runningFlow;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }

    /** The active operation's id (null if it ended between the refusal and the lookup). */
    public String runningOperationId() {
        return runningOperationId;
    }

    public String runningFlow() {
        return runningFlow;
    }
}
