package io.virga.gateway.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * Something the outside world told a running workflow (a row of {@code workflow_mailbox}).
 *
 * @param id      increasing per database; a step consumes every observation up to the highest id it saw
 * @param kind    what it is, e.g. {@code power_state}
 * @param source  who said it, e.g. the reporting host's id (may be null)
 * @param payload its fields, e.g. {@code state=RUNNING, message=}
 */
public record Observation(long id, String kind, String source, Map<String, String> payload, Instant receivedAt) {
    public String get(String field) {
        return payload.get(field);
    }
}
