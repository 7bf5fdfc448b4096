package io.virga.gateway.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.error.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code PATCH /v1/instances/{id}} body (JSON merge semantics for
 * the fields given): {@code name} (as on create), {@code description} (up to
 * 255 characters, null clears), {@code metadata} (string → string, up to 50
 * keys of 1–64 characters and values of up to 255; replaces the whole map),
 * {@code tags} (up to 50 distinct strings of 1–64 characters; replaces the
 * list). Anything else is a 400 naming the field; nothing changes on a 400.
 */
public record InstanceUpdate(String name, boolean hasDescription, String description, Map<String, String> metadata,
                             List<String> tags) {
    private static final Set<String> FIELDS = Set.of("name", "description", "metadata", "tags");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    public static InstanceUpdate parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest(f, "unknown field (patchable: name, description, metadata, tags)");
            }
        }
        String name = null;
        if (body.has("name")) {
            JsonNode n = body.get("name");
            if (!n.isTextual() || !NAME.matcher(n.asText()).matches()) {
                throw ApiException.badRequest("name", "must be 1-64 letters, digits, '.', '_' or '-'");
            }
            name = n.asText();
        }
        String description = null;
        if (body.has("description") && !body.get("description").isNull()) {
            JsonNode d = body.get("description");
            if (!d.isTextual() || d.asText().length() > 255) {
                throw ApiException.badRequest("description", "must be a string of at most 255 characters");
            }
            description = d.asText();
        }
        Map<String, String> metadata = null;
        if (body.has("metadata")) {
            JsonNode m = body.get("metadata");
            if (!m.isObject() || m.size() > 50) {
                throw ApiException.badRequest("metadata", "must be an object of at most 50 string values");
            }
            metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().isEmpty() || e.getKey().length() > 64 || !e.getValue().isTextual()
                        || e.getValue().asText().length() > 255) {
                    throw ApiException.badRequest("metadata." + e.getKey(),
                            "keys are 1-64 characters, values strings of at most 255");
                }
                metadata.put(e.getKey(), e.getValue().asText());
            }
        }
        List<String> tags = null;
        if (body.has("tags")) {
            JsonNode t = body.get("tags");
            if (!t.isArray() || t.size() > 50) {
                throw ApiException.badRequest("tags", "must be an array of at most 50 strings");
            }
            tags = new ArrayList<>();
            for (JsonNode tag : t) {
                if (!tag.isTextual() || tag.asText().isEmpty() || tag.asText().length() > 64) {
                    throw ApiException.badRequest("tags", "each tag is a string of 1-64 characters");
                }
                if (!tags.contains(tag.asText())) {
                    tags.add(tag.asText());
                }
            }
        }
        return new InstanceUpdate(name, body.has("description"), description, metadata, tags);
    }
}
