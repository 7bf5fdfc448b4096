package io.virga.scheduler.claim;

import io.virga.scheduler.host.HostState;
import io.virga.scheduler.select.Selection;
import java.util.List;

/** The answer of {@link ClaimService#selectAndClaim}: errors are values here, not exceptions. */
public sealed interface ClaimOutcome {
    /**
     * The consumer holds {@code claim}.
     *
     * @param alternates other hosts that fit the request right now (not claimed), best first
     * @param replay     true when the claim already existed before this request (idempotent retry)
     */
    record Claimed(Claim claim, List<HostState> alternates, boolean replay) implements ClaimOutcome {
        public Claimed {
            alternates = List.copyOf(alternates);
        }
    }

    /** No host can take the request; {@code why} says which constraint bound. */
    record Unschedulable(Selection.Unschedulable why) implements ClaimOutcome {
    }

    /**
     * Hosts that fit kept changing under every attempt (heavy contention);
     * nothing was claimed and the caller may retry.
     */
    record Contended(int attempts) implements ClaimOutcome {
    }
}
