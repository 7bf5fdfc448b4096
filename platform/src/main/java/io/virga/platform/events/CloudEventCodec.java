package io.virga.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Encodes and decodes CloudEvents 1.0 structured JSON (UTF-8). */
public final class CloudEventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CloudEventCodec() {
    }

    public static byte[] encode(CloudEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("specversion", CloudEvent.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type());
        node.put("subject", event.subject());
        node.put("time", event.time().toString());
        node.put("datacontenttype", "application/json");
        node.set("data", event.data());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /**
     * Decodes one event.
     *
     * @throws IllegalArgumentException when the bytes are not a CloudEvents 1.0
     *                                  structured JSON event with id, source, type, subject, time and data
     */
    public static CloudEvent decode(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("event is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("event is not a JSON object");
        }
        if (!CloudEvent.SPEC_VERSION.equals(text(node, "specversion"))) {
            throw new IllegalArgumentException("unsupported specversion: " + node.get("specversion"));
        }
        JsonNode data = node.get("data");
        if (data == null) {
            throw new IllegalArgumentException("event has no data");
        }
        try {
            return new CloudEvent(text(node, "id"), text(node, "source"), text(node, "type"),
                    text(node, "subject"), Instant.parse(text(node, "time")), data);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad event time", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("event lacks " + field);
        }
        return value.asText();
    }
}
