package io.virga.scheduler.weigh;

import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;

/**
 * A soft preference among hosts that all fit. A weigher gives each host a
 * raw score (higher is better); {@link Ranking} normalises the scores of all
 * candidates to [0, 1], multiplies them by {@link #multiplier()}, adds up the
 * weighers and sorts. A negative multiplier turns a preference around
 * (e.g. stack instead of spread).
 *
 * <p>Contract: pure like a filter (no I/O, no side effects, same answer for
 * the same arguments), only ever called with hosts that passed every filter,
 * returns a finite number.
 */
public interface HostWeigher {
    default String name() {
        return getClass().getSimpleName();
    }

    /** Raw score of {@code host} for {@code request}; higher is preferred (before the multiplier). */
    double weigh(HostState host, PlacementRequest request);

    default double multiplier() {
        return 1.0;
    }
}
