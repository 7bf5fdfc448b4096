package io.virga.scheduler.claim;

/** What one compare-and-set claim on one host gave. */
public sealed interface ClaimAttempt {
    /** The claim is committed: usage counted on the host, allocation row and event written. */
    record Won(Claim claim) implements ClaimAttempt {
    }

    /** The host changed since the snapshot (or no longer has room): nothing was written. */
    record Lost() implements ClaimAttempt {
    }

    /** Another request claimed for the same consumer meanwhile: nothing was written. */
    record ConsumerTaken() implements ClaimAttempt {
    }
}
