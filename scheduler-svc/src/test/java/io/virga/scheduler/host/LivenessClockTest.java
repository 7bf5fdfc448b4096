package io.virga.scheduler.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import io.virga.scheduler.testing.TestHosts;
import org.junit.jupiter.api.Test;

class LivenessClockTest {
    private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEAF_LIMIT = Duration.ofMinutes(5);

    private final AtomicReference<Instant> newest = new AtomicReference<>();
    private final LivenessClock clock =
            new LivenessClock(Clock.fixed(NOW, ZoneOffset.UTC), TIMEOUT, DEAF_LIMIT, newest::get);

    @Test
    void withoutHostsItIsTheWallClock() {
        clock.refresh();
        assertEquals(NOW, clock.instant());
        assertFalse(clock.deaf());
    }

    @Test
    void freshReportsMeanTheWallClock() {
        newest.set(NOW.minusSeconds(3));
        clock.refresh();
        assertEquals(NOW, clock.instant());
        assertFalse(clock.deaf());
    }

    @Test
    void whenNoHostReportedWithinTheTimeoutLivenessIsJudgedAtTheNewestHeartbeat() {
        Instant last = NOW.minusSeconds(90);
        newest.set(last);
        clock.refresh();
        assertTrue(clock.deaf());
        assertEquals(last, clock.instant());
        HostState upWithTheNewest = at(last);
        HostState fellSilentEarlier = at(last.minusSeconds(31));
        assertEquals(HostStatus.UP, HostStatus.of(upWithTheNewest, clock.instant(), TIMEOUT));
        assertEquals(HostStatus.DOWN, HostStatus.of(fellSilentEarlier, clock.instant(), TIMEOUT));
    }

    @Test
    void pastTheDeafLimitEveryHostIsDown() {
        newest.set(NOW.minus(DEAF_LIMIT));
        clock.refresh();
        assertFalse(clock.deaf());
        assertEquals(NOW, clock.instant());
        assertEquals(HostStatus.DOWN, HostStatus.of(at(NOW.minus(DEAF_LIMIT)), clock.instant(), TIMEOUT));
    }

    @Test
    void aDeafLimitShorterThanTheTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LivenessClock(Clock.systemUTC(), TIMEOUT, Duration.ofSeconds(10), () -> null));
    }

    private static HostState at(Instant heartbeat) {
        return TestHosts.heartbeat(TestHosts.host("h", 4, 4096, 40), heartbeat);
    }
}
