package io.virga.platform.outbox;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes events into the service's {@code virga_outbox} table, inside the
 * caller's transaction. The event is published by {@link OutboxRelay} only
 * once that transaction commits, and is never published if it rolls back:
 * state change and event are one atomic unit.
 *
 * <p>Requires the platform migration {@code db/platform} in the service's Flyway locations.
 */
public final class Outbox {
    private final OutboxRelay relay;

    /** @param relay woken after appends so events leave quickly; may be null */
    public Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    /**
     * Appends {@code event} to the outbox for {@code topic}, keyed by the
     * event's subject. Must be called with autocommit off; the caller commits.
     */
    public void append(Connection tx, String topic, CloudEvent event) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO virga_outbox(event_id, topic, msg_key, payload) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, event.id());
            ps.setString(2, topic);
            ps.setString(3, event.subject());
            ps.setBytes(4, CloudEventCodec.encode(event));
            ps.executeUpdate();
        }
        if (relay != null) {
            relay.wakeUp();
        }
    }

    /**
     * Appends {@code events} to the outbox for {@code topic} in one JDBC batch
     * (one round trip), like {@link #append} for each. Must be called with
     * autocommit off; the caller commits.
     */
    public void appendAll(Connection tx, String topic, java.util.List<CloudEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO virga_outbox(event_id, topic, msg_key, payload) VALUES (?, ?, ?, ?)")) {
            for (CloudEvent event : events) {
                ps.setString(1, event.id());
                ps.setString(2, topic);
                ps.setString(3, event.subject());
                ps.setBytes(4, CloudEventCodec.encode(event));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (relay != null) {
            relay.wakeUp();
        }
    }
}
