package io.virga.scheduler.claim;

import io.micrometer.core.instrument.Timer;
import io.virga.platform.db.Sql;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.select.Selection;
import io.virga.scheduler.select.Selector;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Select and claim, release. Plain Java (no CDI) so that a test can run two
 * of them on two connection pools, as two scheduler replicas would.
 *
 * <p>{@link #selectAndClaim}: read all hosts, filter, weigh, then
 * compare-and-set the best candidate (see {@link ClaimStore#tryClaim}). When
 * the compare-and-set loses (another claim, release or inventory change got
 * there first), the next candidate of the same ranking is tried; when every
 * candidate lost, hosts are read again and the whole round repeats, up to
 * {@code attempts} rounds. Each lost compare-and-set means someone else's
 * change committed, so the loop makes progress; the bound only guards against
 * livelock under extreme contention ({@link ClaimOutcome.Contended}).
 */
public final class ClaimService {
    private final HostStore hosts;
    private final ClaimStore claims;
    private final Selector selector;
    private final AllocationRatios ratios;
    private final ClaimMetrics metrics;
    private final int attempts;

    public ClaimService(HostStore hosts, ClaimStore claims, Selector selector, AllocationRatios ratios,
                        ClaimMetrics metrics, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.hosts = hosts;
        this.claims = claims;
        this.selector = selector;
        this.ratios = ratios;
        this.metrics = metrics;
        this.attempts = attempts;
    }

    /**
     * Places and claims {@code request}.
     *
     * <p>Idempotent on the consumer id: when the consumer already holds a
     * claim, that claim is returned unchanged ({@code replay = true}), even
     * if the request now asks for other resources. Unschedulable and
     * contended outcomes change nothing.
     */
    public ClaimOutcome selectAndClaim(PlacementRequest request) {
        Timer.Sample sample = Timer.start();
        try {
            ClaimOutcome outcome = place(request);
            if (outcome instanceof ClaimOutcome.Claimed c) {
                metrics.succeeded(c.replay());
            } else if (outcome instanceof ClaimOutcome.Unschedulable u) {
                metrics.failed(u.why().bindingFilter());
            } else {
                metrics.failed("contention");
            }
            return outcome;
        } finally {
            sample.stop(metrics.selectTimer());
        }
    }

    /**
     * Frees the consumer's claim; idempotent (empty when there was none).
     * See {@link ClaimStore#release}.
     */
    public Optional<Claim> release(String consumerId) {
        Optional<Claim> released = claims.release(consumerId);
        metrics.released(released.isPresent());
        return released;
    }

    /**
     * Gives {@code from}'s claim to {@code to} (see {@link ClaimStore#transfer}); idempotent.
     */
    public ClaimStore.Transfer transfer(String from, String to) {
        return claims.transfer(from, to);
    }

    private ClaimOutcome place(PlacementRequest request) {
        Optional<Claim> existing = claims.find(request.consumerId());
        if (existing.isPresent()) {
            return replay(existing.get(), request);
        }
        for (int round = 1; round <= attempts; round++) {
            Selection selection = selector.select(hosts.list(), request);
            if (selection instanceof Selection.Unschedulable u) {
                return new ClaimOutcome.Unschedulable(u);
            }
            List<HostState> ranked = ((Selection.Fits) selection).hosts();
            for (HostState candidate : ranked) {
                ClaimAttempt attempt = tryClaim(candidate, request);
                if (attempt instanceof ClaimAttempt.Won won) {
                    return new ClaimOutcome.Claimed(won.claim(), alternates(ranked, candidate, request), false);
                }
                if (attempt instanceof ClaimAttempt.ConsumerTaken) {
                    Optional<Claim> theirs = claims.find(request.consumerId());
                    if (theirs.isPresent()) {
                        return replay(theirs.get(), request);
                    }
                    // released again in between: place afresh
                } else {
                    metrics.conflict();
                }
            }
            backOff(round);
        }
        return new ClaimOutcome.Contended(attempts);
    }

    private ClaimAttempt tryClaim(HostState candidate, PlacementRequest request) {
        try {
            return claims.tryClaim(candidate, request, ratios);
        } catch (RuntimeException e) {
            if (Sql.isRetryable(e)) {
                return new ClaimAttempt.Lost();
            }
            throw e;
        }
    }

    private ClaimOutcome.Claimed replay(Claim claim, PlacementRequest request) {
        Set<String> excluded = new HashSet<>(request.excludedHosts());
        excluded.add(claim.hostId());
        PlacementRequest others = new PlacementRequest(request.consumerId(), request.projectId(),
                request.resources(), request.hypervisorType(), request.requiredTraits(), excluded,
                request.alternates(), request.requestedHost());
        List<HostState> alternates = request.alternates() == 0 ? List.of()
                : selector.select(hosts.list(), others) instanceof Selection.Fits f
                ? f.hosts().stream().limit(request.alternates()).toList() : List.of();
        return new ClaimOutcome.Claimed(claim, alternates, true);
    }

    private static List<HostState> alternates(List<HostState> ranked, HostState chosen, PlacementRequest request) {
        return ranked.stream()
                .filter(h -> !h.id().equals(chosen.id()))
                .limit(request.alternates())
                .toList();
    }

    private static void backOff(int round) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1 + Math.min(round, 10) * 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while placing", e);
        }
    }
}
