package io.virga.gateway.instance;

/**
 * A compare-and-set on an instance lost: the row changed (or vanished) since
 * it was read. The caller rolls back, re-reads and decides again.
 */
public final class StaleInstanceException extends RuntimeException
        implements io.virga.gateway.workflow.ConcurrentChange {
    public StaleInstanceException(String instanceId, long expectedVersion) {
        super("instance " + instanceId + " changed concurrently (expected version " + expectedVersion + ")");
    }
}
