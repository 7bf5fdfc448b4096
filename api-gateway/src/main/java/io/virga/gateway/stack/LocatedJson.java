package io.virga.gateway.stack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML or JSON document read into a tree together with the line of every
 * value, keyed by its path ({@code resources.network.web.name},
 * {@code resources.instance.a.networks[0].network}). Text starting with
 * {@code {} is read as JSON, anything else as YAML. Duplicate keys are faults.
 */
public final class LocatedJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedJson(JsonNode root, Map<String, Integer> lines) {
        this.root = root;
        this.lines = lines;
    }

    /** A tree that came without text (a JSON object in a request): every line is 0. */
    public static LocatedJson of(JsonNode root) {
        return new LocatedJson(root, Map.of());
    }

    /**
     * Parses {@code text}.
     *
     * @throws SpecInvalid with the line of the syntax fault or of each duplicate key
     */
    public static LocatedJson parse(String text) {
        boolean json = text.stripLeading().startsWith("{");
        Map<String, Integer> lines = new HashMap<>();
        List<SpecError> errors = new java.util.ArrayList<>();
        try (JsonParser p = (json ? JSON : YAML).createParser(text)) {
            if (p.nextToken() == null) {
                throw new SpecInvalid(List.of(new SpecError(1, "", "the spec is empty")));
            }
            JsonNode root = new Reader(p, lines, errors).read("");
            if (!errors.isEmpty()) {
                throw new SpecInvalid(errors);
            }
            return new LocatedJson(root, lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SpecInvalid(List.of(new SpecError(line, "", "not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new SpecInvalid(List.of(new SpecError(0, "", "unreadable spec: " + e.getMessage())));
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The line of {@code path}, or of its nearest enclosing value; 0 when unknown. */
    public int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("", 0);
            }
            p = p.substring(0, cut);
        }
    }

    /** An error at {@code path} with its line. */
    public SpecError error(String path, String message) {
        return new SpecError(line(path), path, message);
    }

    private record Reader(JsonParser p, Map<String, Integer> lines, List<SpecError> errors) {
        JsonNode read(String path) throws IOException {
            lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    ObjectNode o = NODES.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        String child = path.isEmpty() ? name : path + "." + name;
                        int line = p.currentTokenLocation().getLineNr();
                        p.nextToken();
                        if (o.has(name)) {
                            errors.add(new SpecError(line, child, "duplicate key"));
                        }
                        lines.putIfAbsent(child, line);
                        o.set(name, read(child));
                    }
                    return o;
                }
                case START_ARRAY -> {
                    ArrayNode a = NODES.arrayNode();
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        a.add(read(path + "[" + n++ + "]"));
                    }
                    return a;
                }
                case VALUE_STRING -> {
                    return NODES.textNode(p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return p.getNumberType() == JsonParser.NumberType.INT ? NODES.numberNode(p.getIntValue())
                            : NODES.numberNode(p.getLongValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    return NODES.numberNode(p.getDecimalValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return NODES.booleanNode(p.getBooleanValue());
                }
                case VALUE_NULL -> {
                    return NODES.nullNode();
                }
                default -> throw new IOException("unexpected " + t + " at " + path);
            }
        }
    }
}
