package io.virga.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bucket arithmetic, with the clock passed in (no waiting). */
class TokenBucketsTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenRefillPerKey() {
        TokenBuckets b = new TokenBuckets(2, 3);
        long t = 5 * SECOND;
        assertEquals(0, b.take("a", t));
        assertEquals(0, b.take("a", t));
        assertEquals(0, b.take("a", t));
        assertEquals(1, b.take("a", t));          // empty: retry after 1 s
        assertEquals(0, b.take("b", t));          // another token has its own bucket
        assertEquals(0, b.take("a", t + SECOND / 2)); // half a second refills one request at 2/s
        assertEquals(1, b.take("a", t + SECOND / 2));
        assertEquals(0, b.take("a", t + 10 * SECOND)); // refills up to the burst only
        assertEquals(0, b.take("a", t + 10 * SECOND));
        assertEquals(0, b.take("a", t + 10 * SECOND));
        assertEquals(1, b.take("a", t + 10 * SECOND));
    }

    @Test
    void slowRatesAskForLongerWaits() {
        TokenBuckets b = new TokenBuckets(0.1, 1);
        assertEquals(0, b.take("a", 0));
        assertEquals(10, b.take("a", 0));
    }
}
