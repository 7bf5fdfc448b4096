package io.virga.platform.kafka;

import io.virga.platform.events.CloudEvent;
import java.sql.Connection;

/**
 * Applies one event to the consumer's database.
 *
 * <p>Called inside a transaction that also records the event id in the
 * inbox: the handler runs at most once per event id, and if it throws, the
 * transaction rolls back and the event is retried later (so it must not have
 * side effects outside {@code tx}, or they must be idempotent). Events of an
 * unknown type should be ignored, not rejected.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(CloudEvent event, Connection tx) throws Exception;
}
