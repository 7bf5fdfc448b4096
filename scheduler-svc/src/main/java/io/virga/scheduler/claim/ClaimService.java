package io.virga.scheduler.claim;

import io.micrometer.core.instrument.Timer;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.HostCache;
import io.virga.scheduler.select.Selector;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Select and claim, release, transfer. Plain Java (no CDI) so that a test can
 * run two of them on two connection pools, as two scheduler replicas would.
 *
 * <p>{@link #submit} hands the request to this replica's {@link PlacementLoop}:
 * requests are planned on the replica's {@link HostCache} (no placement reads
 * every host row) and committed in batches, one short transaction per batch,
 * each claim re-checked under the host row's lock ({@link BatchClaims}).
 */
public final class ClaimService implements AutoCloseable {
    /** Placement tuning. */
    public record Settings(int attempts, int sample, int maxBatch) {
        public Settings {
            if (attempts < 1 || sample < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("attempts, sample and max batch must be at least 1");
            }
        }
    }

    private final ClaimStore claims;
    private final ClaimMetrics metrics;
    private final PlacementLoop loop;

    public ClaimService(HostCache cache, ClaimStore claims, GroupStore groups, Selector selector,
                        ClaimMetrics metrics, Settings settings) {
        this.claims = claims;
        this.metrics = metrics;
        this.loop = new PlacementLoop(cache, claims, groups, selector, metrics, settings.attempts(),
                settings.sample(), settings.maxBatch());
    }

    /**
     * Places and claims {@code request}; the future completes when the claim
     * committed (or the answer is final).
     *
     * <p>Idempotent on the consumer id: when the consumer already holds a
     * claim, that claim is returned unchanged ({@code replay = true}), even
     * if the request now asks for other resources. Unschedulable and
     * contended outcomes change nothing. A server group that does not exist
     * fails the future with an {@link IllegalArgumentException}.
     */
    public CompletableFuture<ClaimOutcome> submit(PlacementRequest request) {
        Timer.Sample sample = Timer.start();
        return loop.submit(request).whenComplete((o, e) -> sample.stop(metrics.selectTimer()))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof PlacementLoop.UnknownGroup u) {
                        throw new IllegalArgumentException(u.getMessage());
                    }
                    throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                });
    }

    /** {@link #submit}, waiting for the answer. */
    public ClaimOutcome selectAndClaim(PlacementRequest request) {
        try {
            return submit(request).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** Frees the consumer's claim; idempotent (empty when there was none). See {@link ClaimStore#release}. */
    public Optional<Claim> release(String consumerId) {
        Optional<Claim> released = claims.release(consumerId);
        metrics.released(released.isPresent());
        return released;
    }

    /** Gives {@code from}'s claim to {@code to} (see {@link ClaimStore#transfer}); idempotent. */
    public ClaimStore.Transfer transfer(String from, String to) {
        return claims.transfer(from, to);
    }

    public ClaimStore store() {
        return claims;
    }

    @Override
    public void close() {
        loop.close();
    }
}
