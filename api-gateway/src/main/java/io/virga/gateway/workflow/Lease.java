package io.virga.gateway.workflow;

/**
 * One claim of one workflow by this process: the workflow's {@code operationId} and
 * the claim's unique {@code token} (written to {@code workflows.lease_owner}).
 * Renewed by {@link LeaseKeeper} while held; every write for the workflow is
 * fenced by the token in the database, so this object's flags are only an
 * early warning — {@link #lost()} true means the token is no longer in the
 * row and the holder must stop; false guarantees nothing by itself.
 */
final class Lease {
    private final String operationId;
    private final String token;
    private volatile boolean lost;
    private volatile boolean handedBack;
    private volatile boolean settling;

    Lease(String operationId, String token) {
        this.operationId = operationId;
        this.token = token;
    }

    String operationId() {
        return operationId;
    }

    String token() {
        return token;
    }

    /**
     * A renewal found the workflow held under another token (or none), or this
     * process handed the lease back on shutdown: it is someone else's to run now.
     */
    boolean lost() {
        return lost;
    }

    /** @throws LeaseLostException if {@link #lost()} */
    void ensureHeld() {
        if (lost) {
            throw new LeaseLostException();
        }
    }

    void markLost() {
        lost = true;
    }

    /** This process is handing the lease back (shutdown): {@link #lost()} from now on. */
    void markHandedBack() {
        handedBack = true;
        lost = true;
    }

    /** Lost because this process handed it back, not because another runner took it over. */
    boolean handedBack() {
        return handedBack;
    }

    /**
     * The holder is writing the workflow's outcome, which frees the lease: a
     * renewal that no longer finds the token means "saved", not "lost" (the
     * fenced write itself tells the holder if it was lost).
     */
    void settle() {
        settling = true;
    }

    boolean settling() {
        return settling;
    }
}
