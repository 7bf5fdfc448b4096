package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An honest in-memory world: resources by id, a log of calls, and kinds or names that refuse creation. */
final class MemoryWorld implements World {
    final Map<String, ObjectNode> resources = new ConcurrentHashMap<>();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Set<String> refuseNames = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public Optional<JsonNode> read(Kind kind, String id, JsonNode inputs) {
        return Optional.ofNullable(resources.get(id));
    }

    @Override
    public JsonNode create(Kind kind, JsonNode inputs) {
        if (refuseNames.contains(inputs.path("name").asText())) {
            log.add("refused " + kind.wireName() + " " + inputs.path("name").asText());
            throw new Failed("403 quota exceeded", null);
        }
        String id = kind.wireName().charAt(0) + "-" + ids.incrementAndGet();
        ObjectNode view = inputs.deepCopy();
        view.put("id", id);
        if (kind == Kind.INSTANCE) {
            view.put("status", inputs.path("status").asText("ACTIVE"));
        }
        resources.put(id, view);
        log.add("create " + kind.wireName() + " " + id);
        return view;
    }

    @Override
    public JsonNode update(Kind kind, String id, JsonNode inputs, List<Plan.Change> changes) {
        ObjectNode view = resources.get(id);
        changes.forEach(c -> view.set(c.attribute(), inputs.get(c.attribute()) == null
                ? view.textNode("ACTIVE") : inputs.get(c.attribute())));
        log.add("update " + kind.wireName() + " " + id);
        return view;
    }

    @Override
    public void delete(Kind kind, String id, JsonNode inputs) {
        resources.remove(id);
        log.add("delete " + kind.wireName() + " " + id);
    }
}
