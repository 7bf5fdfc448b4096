package io.virga.tf.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.tf.schema.ResourceSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values from the JSON state Terraform stores (UpgradeResourceState hands it over raw). */
final class JsonValues {
    private JsonValues() {
    }

    static Map<String, Object> fromJson(ObjectMapper json, byte[] bytes, ResourceSchema schema) {
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the stored state is not JSON", e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        schema.attributes().forEach(a -> out.put(a.name(), value(root.get(a.name()))));
        return out;
    }

    static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isArray()) {
            List<Object> items = new ArrayList<>();
            n.forEach(e -> items.add(value(e)));
            return items;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
        return m;
    }
}
