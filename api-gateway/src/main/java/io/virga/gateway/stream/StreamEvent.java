package io.virga.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One recorded event of the stream.
 *
 * @param seq       the SSE id: durable and strictly increasing in commit order across all projects
 * @param projectId the owning project; null for events without one (only an unfiltered admin stream shows them)
 * @param type      the CloudEvent type, e.g. {@code io.virga.instance.status}; the SSE {@code event:} name
 * @param subject   the resource id
 * @param time      when the fact happened (the CloudEvent time)
 * @param data      the payload, keys in snake_case
 */
public record StreamEvent(long seq, String projectId, String type, String subject, Instant time, JsonNode data) {
}
