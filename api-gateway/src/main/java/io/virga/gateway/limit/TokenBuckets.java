package io.virga.gateway.limit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per API token: {@code burst} requests at once, refilled at {@code perSecond}. In memory, per
 * gateway process (N gateways allow N times the rate; the limit protects each process, not a global budget).
 * Buckets idle for a minute are dropped when the map grows past {@link #SWEEP_AT}.
 */
final class TokenBuckets {
    static final int SWEEP_AT = 10_000;

    private final double perSecond;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** The wait in whole seconds (at least 1) before a request would be allowed; 0 when allowed now (and counted). */
    long take(String key, long nowNanos) {
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(b -> nowNanos - b.last > 60_000_000_000L);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            double elapsed = (nowNanos - b.last) / 1e9;
            b.tokens = Math.min(burst, b.tokens + Math.max(0, elapsed) * perSecond);
            b.last = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }
}
