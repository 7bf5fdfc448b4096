package io.virga.gateway.idempotency;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Records the answer of a request carrying an {@code Idempotency-Key}, in the
 * transaction of the work it guards. {@link #NONE} when the request has no key.
 */
public interface KeyGuard {
    KeyGuard NONE = new KeyGuard() {
        @Override
        public void answer(Connection c, int status, String location, Object body) {
        }

        @Override
        public boolean recorded() {
            return false;
        }
    };

    /**
     * Stores the answer (status, Location, JSON of {@code body}) in {@code c}'s transaction.
     *
     * @throws IdempotentAnswerException when the key already has an answer (a concurrent or earlier request
     *                                   with the same key won): the caller's transaction must roll back, and the
     *                                   exception's response (a replay, 422 or 409) is sent instead
     */
    void answer(Connection c, int status, String location, Object body) throws SQLException;

    /** True once {@link #answer} ran (and so the response filter must not store anything). */
    boolean recorded();
}
