package io.virga.gateway.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes a flow's typed data as JSON with a {@code version} field,
 * upgrading older versions one at a time with {@link Flow#upgrade}.
 */
public final class FlowData {
    static final String VERSION = "version";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private FlowData() {
    }

    /** The data's JSON at the flow's current version. */
    public static <D> String write(Flow<?, D> flow, D data) {
        ObjectNode node = JSON.valueToTree(data);
        node.put(VERSION, flow.dataVersion());
        return node.toString();
    }

    /**
     * Decodes stored data, upgrading it first if it was written at an older version.
     *
     * @throws IllegalStateException when it is unreadable or newer than this build knows
     */
    public static <D> D read(Flow<?, D> flow, String json) {
        ObjectNode node = upgraded(flow, json);
        node.remove(VERSION);
        try {
            return JSON.treeToValue(node, flow.dataType());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(flow.name() + " data is not readable: " + e.getMessage(), e);
        }
    }

    /** The stored JSON lifted to the flow's current version (with its {@code version} field). */
    public static ObjectNode upgraded(Flow<?, ?> flow, String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(flow.name() + " data is not JSON: " + e.getMessage(), e);
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new IllegalStateException(flow.name() + " data is not a JSON object");
        }
        int version = node.path(VERSION).asInt(1);
        if (version > flow.dataVersion()) {
            throw new IllegalStateException(flow.name() + " data version " + version + " is newer than this build's "
                    + flow.dataVersion());
        }
        while (version < flow.dataVersion()) {
            node = flow.upgrade(node, version);
            version++;
            node.put(VERSION, version);
        }
        return node;
    }

    /** A deep copy of {@code data} (what a step works on). */
    static <D> D copy(Flow<?, D> flow, D data) {
        return read(flow, write(flow, data));
    }

    static ObjectMapper json() {
        return JSON;
    }
}
