package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a parsed spec: unknown or missing attributes, type errors, malformed,
 * dangling or unreadable references, unknown variables and dependency cycles.
 * Every fault carries its line and path.
 */
final class SpecValidator {
    private SpecValidator() {
    }

    static List<SpecError> check(Spec spec) {
        List<SpecError> errors = new ArrayList<>();
        LocatedJson doc = spec.source();
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (Spec.Decl d : spec.resources()) {
            d.attrs().fieldNames().forEachRemaining(a -> {
                if (!d.kind().attrs().containsKey(a)) {
                    errors.add(doc.error(d.path() + "." + a, "unknown attribute " + a + " of kind "
                            + d.kind().wireName() + "; known: " + String.join(", ", d.kind().attrs().keySet())));
                }
            });
            Set<String> dependsOn = new LinkedHashSet<>();
            for (Attr a : d.kind().attrs().values()) {
                JsonNode v = d.attrs().get(a.name());
                String path = d.path() + "." + a.name();
                if (v == null || v.isNull()) {
                    if (a.required()) {
                        errors.add(doc.error(d.path(), "attribute " + a.name() + " is required"));
                    }
                    continue;
                }
                checkType(doc, a, v, path, errors);
                refs(spec, v, path, dependsOn, errors);
            }
            if (d.kind() == Kind.INSTANCE) {
                JsonNode s = d.attrs().get("status");
                if (s != null && s.isTextual() && !Set.of("ACTIVE", "STOPPED").contains(s.asText())) {
                    errors.add(doc.error(d.path() + ".status", "must be ACTIVE or STOPPED"));
                }
            }
            deps.put(d.address(), dependsOn);
        }
        spec.outputs().values().forEach(o -> refs(spec, o.value(), o.path(), new LinkedHashSet<>(), errors));
        for (List<String> cycle : new Graph(deps).cycles()) {
            Spec.Decl first = spec.decl(cycle.get(0)).orElseThrow();
            errors.add(doc.error(first.path(), "circular reference: " + String.join(" -> ", cycle)));
        }
        return errors;
    }

    private static void checkType(LocatedJson doc, Attr a, JsonNode v, String path, List<SpecError> errors) {
        if (v.isTextual() && v.asText().contains("${")) {
            if (a.type() != Attr.Type.STRING && Ref.whole(v.asText()).isEmpty()) {
                errors.add(doc.error(path, "must be " + a.type().wireName()
                        + " (a reference inside text makes a string)"));
            }
            return;
        }
        if (!a.type().accepts(v)) {
            errors.add(doc.error(path, "must be " + a.type().wireName()));
        } else if (a.type() == Attr.Type.STRING_LIST) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    errors.add(doc.error(path + "[" + i + "]", "must be a string"));
                }
            }
        } else if (a.type() == Attr.Type.OBJECT_LIST) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isObject()) {
                    errors.add(doc.error(path + "[" + i + "]", "must be an object"));
                }
            }
        }
    }

    /** Checks every reference in {@code v} (recursively) and adds the addresses it names to {@code deps}. */
    static void refs(Spec spec, JsonNode v, String path, Set<String> deps, List<SpecError> errors) {
        LocatedJson doc = spec.source();
        if (v.isObject()) {
            v.fields().forEachRemaining(e -> refs(spec, e.getValue(), path + "." + e.getKey(), deps, errors));
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                refs(spec, v.get(i), path + "[" + i + "]", deps, errors);
            }
        } else if (v.isTextual()) {
            List<Ref> found;
            try {
                found = Ref.all(v.asText());
            } catch (Ref.Malformed e) {
                errors.add(doc.error(path, e.getMessage()));
                return;
            }
            for (Ref r : found) {
                if (r.variable() != null) {
                    if (!spec.variables().containsKey(r.variable())) {
                        errors.add(doc.error(path, "unknown variable " + r.variable() + " in ${" + r.text() + "}"));
                    }
                    continue;
                }
                var kind = Kind.of(r.kind());
                if (kind.isEmpty()) {
                    errors.add(doc.error(path, "unknown kind " + r.kind() + " in ${" + r.text() + "}"));
                } else if (spec.decl(r.address()).isEmpty()) {
                    errors.add(doc.error(path, "dangling reference ${" + r.text() + "}: no resource "
                            + r.address() + " is declared"));
                } else if (!kind.get().readable(r.attribute())) {
                    errors.add(doc.error(path, "unknown attribute " + r.attribute() + " of kind " + r.kind()
                            + " in ${" + r.text() + "}"));
                } else {
                    deps.add(r.address());
                }
            }
        }
    }

    /** The addresses {@code d}'s attributes reference (for a valid spec). */
    static Set<String> dependencies(Spec spec, Spec.Decl d) {
        Set<String> deps = new LinkedHashSet<>();
        refs(spec, d.attrs(), d.path(), deps, new ArrayList<>());
        return deps;
    }

    /** The dependency graph of a valid spec. */
    static Graph graph(Spec spec) {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        spec.resources().forEach(d -> deps.put(d.address(), dependencies(spec, d)));
        return new Graph(deps);
    }
}
