package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a spec with what the stack owns and what the cloud shows now (drift) and answers a
 * {@link Plan}. Reads only; changes nothing.
 *
 * <ul>
 * <li>not owned, or owned but gone from the cloud: create;</li>
 * <li>a changed attribute that cannot change in place, or an instance in ERROR: replace;</li>
 * <li>changed attributes that can change in place, or an instance whose power differs from the spec's
 * {@code status}: update;</li>
 * <li>owned but no longer in the spec: delete; otherwise no-op.</li>
 * </ul>
 * A value that depends on a resource still to be made is {@link Resolver#UNKNOWN} and counts as a change.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * @param given the caller's variable values (override defaults)
     * @throws SpecInvalid for unknown variables given or variables without a value
     */
    public static Plan plan(Spec spec, Map<String, JsonNode> given, Map<String, StoredResource> owned, World world) {
        Map<String, JsonNode> vars = variables(spec, given);
        Map<String, JsonNode> known = new HashMap<>();
        Resolver resolver = new Resolver(vars, a -> Optional.ofNullable(known.get(a)));
        List<Plan.Step> steps = new ArrayList<>(deletions(spec, owned, world));
        for (String address : SpecValidator.graph(spec).order()) {
            Spec.Decl d = spec.decl(address).orElseThrow();
            JsonNode inputs = resolver.resolve(d.attrs());
            StoredResource s = owned.get(address);
            Optional<JsonNode> live = s == null ? Optional.empty() : world.read(d.kind(), s.id(), s.inputs());
            Plan.Step step = step(d, inputs, s, live);
            if (step.action() == Plan.Action.NO_OP || step.action() == Plan.Action.UPDATE) {
                known.put(address, merge(inputs, live.orElseThrow()));
            }
            steps.add(step);
        }
        return new Plan(steps, vars);
    }

    static Map<String, JsonNode> variables(Spec spec, Map<String, JsonNode> given) {
        List<SpecError> errors = new ArrayList<>();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        given.keySet().stream().filter(k -> !spec.variables().containsKey(k)).forEach(k ->
                errors.add(new SpecError(0, "variables." + k, "the spec declares no variable " + k)));
        for (Spec.Variable v : spec.variables().values()) {
            JsonNode value = given.getOrDefault(v.name(), v.defaultValue());
            if (value == null || value.isNull()) {
                errors.add(spec.source().error(v.path(), "variable " + v.name() + " has no default: give a value"));
            } else {
                out.put(v.name(), value);
            }
        }
        if (!errors.isEmpty()) {
            throw new SpecInvalid(errors);
        }
        return out;
    }

    private static Plan.Step step(Spec.Decl d, JsonNode inputs, StoredResource s, Optional<JsonNode> live) {
        if (s == null || live.isEmpty()) {
            List<Plan.Change> changes = new ArrayList<>();
            inputs.fields().forEachRemaining(e -> changes.add(new Plan.Change(e.getKey(), null, e.getValue(), false)));
            changes.add(new Plan.Change("id", null, TextNode.valueOf(Resolver.UNKNOWN), false));
            return new Plan.Step(d.address(), d.kind(), Plan.Action.CREATE, null, changes,
                    s == null ? null : d.kind().wireName() + " " + s.id() + " was deleted outside the stack",
                    inputs, null);
        }
        List<Plan.Change> changes = new ArrayList<>();
        for (Attr a : d.kind().attrs().values()) {
            JsonNode before = s.inputs().get(a.name());
            JsonNode after = inputs.get(a.name());
            if (!same(before, after) || (after != null && Resolver.isUnknown(after))) {
                changes.add(new Plan.Change(a.name(), before, after, !a.inPlace()));
            }
        }
        String reason = null;
        if (d.kind() == Kind.INSTANCE) {
            String status = live.get().path("status").asText();
            String wanted = inputs.path("status").asText("ACTIVE");
            if ("ERROR".equals(status)) {
                reason = "instance " + s.id() + " is in ERROR";
                changes.add(new Plan.Change("status", TextNode.valueOf(status), TextNode.valueOf(wanted), true));
            } else if (Set.of("ACTIVE", "STOPPED").contains(status) && !status.equals(wanted)
                    && changes.stream().noneMatch(c -> c.attribute().equals("status"))) {
                reason = "instance " + s.id() + " is " + status + " (changed outside the stack)";
                changes.add(new Plan.Change("status", TextNode.valueOf(status), TextNode.valueOf(wanted), false));
            }
        }
        Plan.Action action = changes.isEmpty() ? Plan.Action.NO_OP
                : changes.stream().anyMatch(Plan.Change::forcesReplacement) ? Plan.Action.REPLACE : Plan.Action.UPDATE;
        return new Plan.Step(d.address(), d.kind(), action, s.id(), changes, reason, inputs, live.get());
    }

    private static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** Owned resources the spec no longer declares, dependants first. */
    private static List<Plan.Step> deletions(Spec spec, Map<String, StoredResource> owned, World world) {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        owned.values().stream().filter(s -> spec.decl(s.address()).isEmpty())
                .forEach(s -> deps.put(s.address(), s.dependsOn()));
        List<String> order = new ArrayList<>(new Graph(deps).order());
        java.util.Collections.reverse(order);
        List<Plan.Step> out = new ArrayList<>();
        for (String a : order) {
            StoredResource s = owned.get(a);
            Optional<JsonNode> live = world.read(s.kind(), s.id(), s.inputs());
            out.add(new Plan.Step(a, s.kind(), Plan.Action.DELETE, s.id(), List.of(),
                    live.isEmpty() ? "already gone outside the stack" : null, s.inputs(), live.orElse(null)));
        }
        return out;
    }

    /** The view, with the inputs' values where the view lacks them (what references read). */
    static JsonNode merge(JsonNode inputs, JsonNode view) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        inputs.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        view.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }
}
