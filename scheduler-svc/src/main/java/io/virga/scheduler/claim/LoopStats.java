package io.virga.scheduler.claim;

import org.jboss.logging.Logger;

/**
 * Where a replica's placement thread spends its time, logged at INFO every
 * {@code period} (category {@code io.virga.scheduler.claim.LoopStats}): rounds, requests per
 * round, and the mean milliseconds of the cache refresh, planning and the commit
 * transaction. The profile of {@code bench/run scheduler} is read from here.
 */
final class LoopStats {
    private static final Logger LOG = Logger.getLogger(LoopStats.class);
    private final long periodNanos;
    private long since = System.nanoTime();
    private long rounds;
    private long requests;
    private long refreshNanos;
    private long planNanos;
    private long commitNanos;
    private long lost;

    LoopStats(long periodMillis) {
        this.periodNanos = periodMillis * 1_000_000L;
    }

    void round(int size, long refresh, long plan, long commit, int lostClaims) {
        rounds++;
        requests += size;
        refreshNanos += refresh;
        planNanos += plan;
        commitNanos += commit;
        lost += lostClaims;
        long now = System.nanoTime();
        if (now - since >= periodNanos && LOG.isInfoEnabled()) {
            double secs = (now - since) / 1e9;
            LOG.infof("placement: %.0f req/s, %d rounds, %.1f req/round, refresh %.2f ms, plan %.2f ms, commit %.2f ms"
                            + " per round, %d lost claims", requests / secs, rounds, (double) requests / rounds,
                    refreshNanos / 1e6 / rounds, planNanos / 1e6 / rounds, commitNanos / 1e6 / rounds, lost);
            since = now;
            rounds = requests = refreshNanos = planNanos = commitNanos = lost = 0;
        }
    }
}
