package io.virga.scheduler.filter;

import io.virga.scheduler.host.HostState;
import java.util.List;

/**
 * One hard constraint of placement: a host either can take a request or it
 * cannot, and the filter says why not.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Pure.</b> {@link #test} looks only at its arguments and at
 *       configuration fixed at construction (ratios, timeouts, a clock). No
 *       I/O, no shared mutable state, no side effects: the same host and
 *       request always give the same answer, and filters may run in any
 *       thread.</li>
 *   <li><b>Total.</b> It never throws for a well-formed host snapshot and
 *       request; "no" is a {@link FilterResult.Reject} with a short reason,
 *       never an exception.</li>
 *   <li><b>Explainable.</b> When the filter rejected some hosts,
 *       {@link #reason} summarises why for the rejection table, and
 *       {@link #headline} says it as a whole answer for a person ("no host has
 *       64 GiB free RAM (most free: 16 GiB on host-2)"), used when this
 *       filter turned away the last hosts standing. Both receive only hosts
 *       this filter rejected (never empty).</li>
 * </ul>
 * Filters run in a fixed order; a host is counted against the first filter
 * that rejects it. A filter never decides where a request goes, only where it
 * cannot go: preference is the weighers' job.
 */
public interface HostFilter {
    /** The name reported in rejections, e.g. {@code RamFilter}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Can {@code host} take {@code request}? */
    FilterResult test(HostState host, PlacementRequest request);

    /** Why these hosts were rejected, short: "needs 65536 MB RAM, most free is 16384 MB". */
    String reason(List<HostState> rejected, PlacementRequest request);

    /** The whole answer when these were the last hosts standing: "no host has 64 GiB free RAM (…)". */
    String headline(List<HostState> rejected, PlacementRequest request);

    /** "1 host" / "3 hosts". */
    static String hosts(int n) {
        return n == 1 ? "1 host" : n + " hosts";
    }
}
