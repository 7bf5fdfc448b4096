package io.virga.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One column of a table: a header and how to get the cell's text from a JSON item.
 *
 * @param header the column's title (upper case by convention)
 * @param cell   the cell's text for an item; null or empty is shown as {@code -}
 */
public record Column(String header, Function<JsonNode, String> cell) {
    /** A column showing the field at {@code path} ({@code flavor.name}: a nested field). */
    public static Column of(String header, String path) {
        return new Column(header, item -> text(at(item, path)));
    }

    /** The node at a dotted path, or a missing node. */
    public static JsonNode at(JsonNode item, String path) {
        JsonNode n = item;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    /** A scalar as text, an array of scalars joined with commas, anything else as compact JSON. */
    public static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isValueNode()) {
                    return n.toString();
                }
                parts.add(e.asText());
            }
            return String.join(",", parts);
        }
        return n.toString();
    }
}
