package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed stack spec: variables (with defaults), resources (kind, name,
 * attributes that may hold {@code ${…}} references) and outputs. Made by
 * {@link SpecParser}; checked by {@link SpecValidator}.
 *
 * @param source    the document with the line of every value
 * @param variables by name; {@code defaultValue} null when the caller must give one
 * @param resources in document order
 * @param outputs   by name, in document order
 */
public record Spec(LocatedJson source, Map<String, Variable> variables, List<Decl> resources,
        Map<String, Output> outputs) {

    /** A declared variable at {@code path}. */
    public record Variable(String name, JsonNode defaultValue, String path) {
    }

    /** A declared resource {@code kind.name} at {@code path} ({@code resources.kind.name}). */
    public record Decl(Kind kind, String name, ObjectNode attrs, String path) {
        public String address() {
            return kind.wireName() + "." + name;
        }
    }

    /** An output: a value (usually one reference) at {@code path}. */
    public record Output(String name, JsonNode value, String path) {
    }

    public Optional<Decl> decl(String address) {
        return resources.stream().filter(d -> d.address().equals(address)).findFirst();
    }
}
