package io.virga.scheduler.select;

import io.virga.scheduler.host.HostState;
import java.util.List;
import java.util.Objects;

/** The outcome of filtering and weighing: hosts that fit (best first), or why none does. */
public sealed interface Selection {
    static Selection fits(List<HostState> hosts) {
        return new Fits(hosts);
    }

    static Selection unschedulable(String message, int hostsConsidered, List<Rejection> rejections) {
        return new Unschedulable(message, hostsConsidered, rejections);
    }

    /** @param hosts every host that passed all filters, best first; never empty */
    record Fits(List<HostState> hosts) implements Selection {
        public Fits {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("fits needs at least one host");
            }
        }
    }

    /**
     * @param message         readable summary naming the binding constraint
     * @param hostsConsidered hosts known to the scheduler when it decided
     * @param rejections      per filter, in chain order, only filters that rejected something
     */
    record Unschedulable(String message, int hostsConsidered, List<Rejection> rejections) implements Selection {
        public Unschedulable {
            Objects.requireNonNull(message, "message");
            rejections = List.copyOf(rejections);
        }

        /** The filter that turned away the last hosts standing, or "none" when there were no hosts at all. */
        public String bindingFilter() {
            return rejections.isEmpty() ? "none" : rejections.get(rejections.size() - 1).filter();
        }
    }

    /** How many hosts one filter rejected (first failing filter per host), and why. */
    record Rejection(String filter, int hostsRejected, String reason) {
    }
}
