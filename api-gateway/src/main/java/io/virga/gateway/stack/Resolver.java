package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Replaces references by values: a string that is exactly one reference takes the referenced value
 * (with its type); references inside text are spliced in as text. A value not known yet (its
 * resource is still to be made) becomes {@link #UNKNOWN}.
 */
public final class Resolver {
    /** How a value known only after apply reads in plans. */
    public static final String UNKNOWN = "(known after apply)";

    private final Map<String, JsonNode> variables;
    private final Function<String, Optional<JsonNode>> resources;

    /**
     * @param variables resolved variable values
     * @param resources an address to the resource's current attributes, or empty when not known yet
     */
    public Resolver(Map<String, JsonNode> variables, Function<String, Optional<JsonNode>> resources) {
        this.variables = variables;
        this.resources = resources;
    }

    /** A copy of {@code v} with every reference resolved. */
    public JsonNode resolve(JsonNode v) {
        if (v.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            v.fields().forEachRemaining(e -> o.set(e.getKey(), resolve(e.getValue())));
            return o;
        }
        if (v.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            v.forEach(x -> a.add(resolve(x)));
            return a;
        }
        if (!v.isTextual() || !v.asText().contains("${")) {
            return v;
        }
        Optional<Ref> whole = Ref.whole(v.asText());
        if (whole.isPresent()) {
            return value(whole.get());
        }
        Matcher m = Ref.IN_TEXT.matcher(v.asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode x;
            try {
                x = value(Ref.parse(m.group(1).trim()));
            } catch (Ref.Malformed e) {
                throw new IllegalStateException(e.getMessage());
            }
            if (isUnknown(x)) {
                return TextNode.valueOf(UNKNOWN);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(x.isTextual() ? x.asText() : x.toString()));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    /** True when {@code v} holds a value known only after apply, anywhere inside. */
    public static boolean isUnknown(JsonNode v) {
        if (v.isTextual()) {
            return UNKNOWN.equals(v.asText());
        }
        for (JsonNode x : v) {
            if (isUnknown(x)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode value(Ref r) {
        if (r.variable() != null) {
            return variables.getOrDefault(r.variable(), JsonNodeFactory.instance.nullNode());
        }
        Optional<JsonNode> attrs = resources.apply(r.address());
        if (attrs.isEmpty()) {
            return TextNode.valueOf(UNKNOWN);
        }
        JsonNode at = attrs.get();
        for (String step : r.steps()) {
            at = step.startsWith("[") ? at.path(Integer.parseInt(step.substring(1, step.length() - 1)))
                    : at.path(step);
        }
        return at.isMissingNode() ? JsonNodeFactory.instance.nullNode() : at;
    }
}
