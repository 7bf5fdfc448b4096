package io.virga.gateway.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A database that cannot be reached is a 503 with Retry-After, not a 500; a bug stays a 500. */
class DatabaseOutageTest {
    final ProblemMappers mappers = new ProblemMappers();

    @Test
    void connectionFailuresAndServerShutdownAreOutages() {
        assertTrue(DatabaseOutage.causes(new SQLException("Connection to 127.0.0.1:15432 refused", "08001")));
        assertTrue(DatabaseOutage.causes(new IllegalStateException("wrapped",
                new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(DatabaseOutage.causes(new SQLException("Acquisition timeout while waiting for new connection")));
        assertFalse(DatabaseOutage.causes(new SQLException("duplicate key value", "23505")));
        assertFalse(DatabaseOutage.causes(new IllegalStateException("a bug")));
    }

    @Test
    void anOutageAnswers503WithRetryAfterAndABugAnswers500() {
        Response outage = mappers.unexpected(new RuntimeException(new SQLException("refused", "08006")));
        assertEquals(503, outage.getStatus());
        assertEquals("5", outage.getHeaderString("Retry-After"));
        assertEquals(Problem.MEDIA_TYPE, outage.getMediaType().toString());
        Response bug = mappers.unexpected(new NullPointerException());
        assertEquals(500, bug.getStatus());
        assertEquals(null, bug.getHeaderString("Retry-After"));
    }
}
