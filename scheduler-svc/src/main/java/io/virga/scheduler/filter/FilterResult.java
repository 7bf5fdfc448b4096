package io.virga.scheduler.filter;

import java.util.Objects;

/** The answer of a {@link HostFilter} for one host: it passes, or it is rejected for a reason. */
public sealed interface FilterResult {
    FilterResult PASS = new Pass();

    static FilterResult pass() {
        return PASS;
    }

    static FilterResult reject(String reason) {
        return new Reject(reason);
    }

    default boolean passed() {
        return this instanceof Pass;
    }

    record Pass() implements FilterResult {
    }

    /** @param reason why this host cannot take the request, e.g. "needs 8 vCPUs, 2 free" */
    record Reject(String reason) implements FilterResult {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
