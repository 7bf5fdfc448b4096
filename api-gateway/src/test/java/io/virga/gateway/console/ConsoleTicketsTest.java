package io.virga.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.gateway.console.ConsoleTickets.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleTicketsTest {
    private static final Duration TTL = Duration.ofSeconds(60);

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final ConsoleTickets tickets = new ConsoleTickets(clock, TTL);

    @Test
    void aTicketOpensItsInstanceOnceBeforeItExpires() {
        ConsoleTickets.Issued t = tickets.issue("i-1", "prj-a", "10.0.0.1:9181");
        assertEquals(clock.now.plus(TTL), t.grant().expiresAt());
        assertTrue(t.token().length() >= 43, "32 random bytes, base64url");
        clock.now = clock.now.plus(TTL).minusMillis(1);
        ConsoleTickets.Redemption r = tickets.redeem(t.token(), "i-1");
        assertEquals(Outcome.OK, r.outcome());
        assertEquals("prj-a", r.grant().projectId());
        assertEquals("10.0.0.1:9181", r.grant().hostEndpoint());
        assertEquals(Outcome.UNKNOWN, tickets.redeem(t.token(), "i-1").outcome(), "single use");
        assertEquals(0, tickets.outstanding());
    }

    @Test
    void anExpiredTicketIsRefusedAndForgotten() {
        ConsoleTickets.Issued t = tickets.issue("i-1", "prj-a", "h:1");
        clock.now = clock.now.plus(TTL);
        ConsoleTickets.Redemption r = tickets.redeem(t.token(), "i-1");
        assertEquals(Outcome.EXPIRED, r.outcome());
        assertNull(r.grant());
        assertEquals(Outcome.UNKNOWN, tickets.redeem(t.token(), "i-1").outcome());
    }

    @Test
    void aTicketPresentedForAnotherInstanceIsRefusedAndSpent() {
        ConsoleTickets.Issued t = tickets.issue("i-1", "prj-a", "h:1");
        assertEquals(Outcome.WRONG_INSTANCE, tickets.redeem(t.token(), "i-2").outcome());
        assertEquals(Outcome.UNKNOWN, tickets.redeem(t.token(), "i-1").outcome());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"made-up", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void unknownTicketsOpenNothing(String token) {
        tickets.issue("i-1", "prj-a", "h:1");
        assertEquals(Outcome.UNKNOWN, tickets.redeem(token, "i-1").outcome());
        assertEquals(1, tickets.outstanding(), "a failed guess spends no real ticket");
    }

    @Test
    void ticketsAreDistinctAndOnlyTheirHashIsKept() {
        String a = tickets.issue("i-1", "prj-a", "h:1").token();
        String b = tickets.issue("i-1", "prj-a", "h:1").token();
        assertNotEquals(a, b);
        assertEquals(2, tickets.outstanding());
    }

    @Test
    void expiredTicketsArePrunedAndTheOutstandingCountIsCapped() {
        for (int i = 0; i < ConsoleTickets.MAX_OUTSTANDING; i++) {
            tickets.issue("i-" + i, "prj-a", "h:1");
        }
        assertThrows(IllegalStateException.class, () -> tickets.issue("i-x", "prj-a", "h:1"));
        clock.now = clock.now.plus(TTL);
        tickets.issue("i-x", "prj-a", "h:1");
        assertEquals(1, tickets.outstanding(), "the expired ones were pruned");
    }

    @Test
    void aNonPositiveTtlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleTickets(clock, Duration.ZERO));
    }

    @Test
    void theTicketIsReadFromTheQueryString() {
        assertEquals("abc-_", VncSocket.ticket("x=1&ticket=abc-_"));
        assertEquals("a b", VncSocket.ticket("ticket=a%20b"));
        assertNull(VncSocket.ticket(null));
        assertNull(VncSocket.ticket("tickets=no"));
    }
}
