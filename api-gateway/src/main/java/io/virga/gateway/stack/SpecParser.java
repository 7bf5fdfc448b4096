package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the shape of a spec:
 * <pre>
 * variables:                 # optional: name: default, or name: {default: v, description: text}
 *   flavor: c1.small
 * resources:                 # kind: {name: {attribute: value}}
 *   network:
 *     web: {name: web}
 *   subnet:
 *     web-v4: {network_id: "${network.web.id}", cidr: 10.0.0.0/24}
 * outputs:                   # optional: name: value (references allowed)
 *   web_net: "${network.web.id}"
 * </pre>
 * Faults of shape (unknown top-level keys, unknown kinds, bad names) are collected with their lines;
 * attribute and reference checks are {@link SpecValidator}'s.
 */
public final class SpecParser {
    /** Names of resources, variables and outputs. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");
    private static final Set<String> TOP = Set.of("variables", "resources", "outputs");

    private SpecParser() {
    }

    /** Parses and validates {@code text} (YAML or JSON). @throws SpecInvalid with every fault */
    public static Spec parse(String text) {
        return read(LocatedJson.parse(text));
    }

    /** Parses and validates a spec given as a JSON tree (no lines). @throws SpecInvalid with every fault */
    public static Spec parse(JsonNode tree) {
        return read(LocatedJson.of(tree));
    }

    static Spec read(LocatedJson doc) {
        List<SpecError> errors = new ArrayList<>();
        JsonNode root = doc.root();
        if (!root.isObject()) {
            throw new SpecInvalid(List.of(doc.error("", "a spec is an object with resources (and variables, outputs)")));
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP.contains(k)) {
                errors.add(doc.error(k, "unknown key; a spec has variables, resources and outputs"));
            }
        });
        Map<String, Spec.Variable> variables = variables(doc, root.get("variables"), errors);
        List<Spec.Decl> resources = resources(doc, root.get("resources"), errors);
        Map<String, Spec.Output> outputs = outputs(doc, root.get("outputs"), errors);
        Spec spec = new Spec(doc, variables, resources, outputs);
        if (errors.isEmpty()) {
            errors.addAll(SpecValidator.check(spec));
        }
        if (!errors.isEmpty()) {
            throw new SpecInvalid(errors);
        }
        return spec;
    }

    private static Map<String, Spec.Variable> variables(LocatedJson doc, JsonNode node, List<SpecError> errors) {
        Map<String, Spec.Variable> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            errors.add(doc.error("variables", "must map variable names to default values"));
            return out;
        }
        node.fields().forEachRemaining(e -> {
            String path = "variables." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                errors.add(doc.error(path, "a variable name is a letter then letters, digits, '_' or '-'"));
            }
            JsonNode v = e.getValue();
            JsonNode dflt = v;
            if (v.isObject()) {
                v.fieldNames().forEachRemaining(k -> {
                    if (!Set.of("default", "description").contains(k)) {
                        errors.add(doc.error(path + "." + k, "unknown key; a variable has default and description"));
                    }
                });
                dflt = v.get("default");
            }
            out.put(e.getKey(), new Spec.Variable(e.getKey(), dflt == null || dflt.isNull() ? null : dflt, path));
        });
        return out;
    }

    private static List<Spec.Decl> resources(LocatedJson doc, JsonNode node, List<SpecError> errors) {
        List<Spec.Decl> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(doc.error("resources", "is required: kind: {name: {attributes}}"));
            return out;
        }
        node.fields().forEachRemaining(k -> {
            String kindPath = "resources." + k.getKey();
            var kind = Kind.of(k.getKey());
            if (kind.isEmpty()) {
                errors.add(doc.error(kindPath, Kind.NOT_YET.contains(k.getKey())
                        ? "kind " + k.getKey() + " is not supported by stacks yet"
                        : "unknown kind " + k.getKey() + "; known: " + Kind.known()));
                return;
            }
            if (!k.getValue().isObject()) {
                errors.add(doc.error(kindPath, "must map resource names to their attributes"));
                return;
            }
            k.getValue().fields().forEachRemaining(r -> {
                String path = kindPath + "." + r.getKey();
                if (!NAME.matcher(r.getKey()).matches()) {
                    errors.add(doc.error(path, "a resource name is a letter then letters, digits, '_' or '-'"));
                } else if (!r.getValue().isObject()) {
                    errors.add(doc.error(path, "must be an object of attributes"));
                } else {
                    out.add(new Spec.Decl(kind.get(), r.getKey(), (ObjectNode) r.getValue(), path));
                }
            });
        });
        return out;
    }

    private static Map<String, Spec.Output> outputs(LocatedJson doc, JsonNode node, List<SpecError> errors) {
        Map<String, Spec.Output> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            errors.add(doc.error("outputs", "must map output names to values"));
            return out;
        }
        node.fields().forEachRemaining(e -> {
            String path = "outputs." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                errors.add(doc.error(path, "an output name is a letter then letters, digits, '_' or '-'"));
            }
            out.put(e.getKey(), new Spec.Output(e.getKey(), e.getValue(), path));
        });
        return out;
    }
}
