package io.virga.gateway.workflow;

/**
 * This process no longer holds a workflow's lease: another runner took it over
 * (the lease expired first) or the workflow was released. Whoever sees it stops
 * working on that workflow and writes nothing for it.
 */
public final class LeaseLostException extends RuntimeException {
    LeaseLostException() {
        super("workflow lease lost", null, false, false);
    }
}
