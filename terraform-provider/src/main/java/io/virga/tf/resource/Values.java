package io.virga.tf.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.value.Unknown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small readers of decoded values and of API JSON. */
final class Values {
    private Values() {
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null || Unknown.is(v) ? null : v.toString();
    }

    static Long num(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v == null || Unknown.is(v)) {
            return null;
        }
        return v instanceof Number n ? n.longValue() : Long.valueOf(v.toString());
    }

    static Boolean bool(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Boolean b ? b : null;
    }

    static boolean known(Map<String, Object> m, String key) {
        return m != null && m.get(key) != null && !Unknown.is(m.get(key));
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (!(v instanceof List<?> l)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(o == null ? null : o.toString());
        }
        return out;
    }

    /** A text field of API JSON; null when absent, null or empty. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    static Long number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asLong() : null;
    }

    static List<Object> textList(JsonNode array) {
        List<Object> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A fresh mutable object map. */
    static Map<String, Object> obj() {
        return new LinkedHashMap<>();
    }

    /** Splits an import id {@code parent/child}; null when it is not of that shape. */
    static String[] pair(String id) {
        int slash = id.indexOf('/');
        if (slash <= 0 || slash == id.length() - 1) {
            return null;
        }
        return new String[] {id.substring(0, slash), id.substring(slash + 1)};
    }
}
