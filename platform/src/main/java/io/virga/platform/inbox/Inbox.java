package io.virga.platform.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Remembers which events a consumer has applied, in the consumer's own
 * transaction, so redelivered events are applied once.
 *
 * <p>Requires the platform migration {@code db/platform}.
 */
public final class Inbox {
    private Inbox() {
    }

    /**
     * Records that {@code consumer} applies {@code eventId} in transaction {@code tx}.
     *
     * @return true the first time; false when the event was already applied
     *         (the caller then skips it). If {@code tx} rolls back, the record
     *         goes too and the event will be applied on redelivery.
     */
    public static boolean firstSeen(Connection tx, String consumer, String eventId) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO virga_inbox(consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, consumer);
            ps.setString(2, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Forgets, in {@code tx}, at most {@code batch} entries of any consumer received before {@code before}.
     * Safe once no event that old can be delivered again: consumers commit their offsets right after
     * applying, so only the last uncommitted batch is ever redelivered.
     *
     * @return how many entries went
     */
    public static int prune(Connection tx, java.time.Instant before, int batch) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "DELETE FROM virga_inbox WHERE ctid IN (SELECT ctid FROM virga_inbox WHERE received_at < ? LIMIT ?)")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(before));
            ps.setInt(2, batch);
            return ps.executeUpdate();
        }
    }
}
