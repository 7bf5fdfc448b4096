package io.virga.gateway.placement;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Shape checks of the placement REST bodies: every error is a 400 naming the field; nothing is changed. */
final class Bodies {
    private Bodies() {
    }

    static JsonNode object(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw ApiException.badRequest(f, "unknown field");
            }
        });
        return body;
    }

    /** A string field; null when absent and not required. */
    static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, "is required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 255) {
            throw ApiException.badRequest(field, "must be a non-empty string of at most 255 characters");
        }
        return n.asText();
    }

    /** A flat object of string values (aggregate metadata). */
    static Map<String, String> metadata(JsonNode body, String field) {
        JsonNode n = body.get(field);
        Map<String, String> out = new TreeMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(field, "must be an object of string values");
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual() || e.getKey().length() > 255 || e.getValue().asText().length() > 4096) {
                throw ApiException.badRequest(field + "." + e.getKey(), "must be a string of at most 4096 characters");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
