package io.virga.gateway.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import java.util.Set;

/** Reads request bodies of the volume API strictly: a wrong type or value is a 400 naming the field. */
final class VolumeBodies {
    static final int MAX_SIZE_GB = 16384;

    private VolumeBodies() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("the body must be a JSON object");
        }
        return body;
    }

    static void only(JsonNode body, Set<String> fields) {
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw ApiException.badRequest(f, "unknown field; known: " + String.join(", ", new java.util.TreeSet<>(fields)));
            }
        });
    }

    static int size(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.badRequest(field, "required");
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw ApiException.badRequest(field, "must be a whole number of GiB");
        }
        int v = n.asInt();
        if (v < 1 || v > MAX_SIZE_GB) {
            throw ApiException.badRequest(field, "must be between 1 and " + MAX_SIZE_GB + " (GiB)");
        }
        return v;
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field, "must be a string");
        }
        return n.asText();
    }

    static boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(field, "must be true or false");
        }
        return n.asBoolean();
    }
}
