package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A resource a stack owns, as recorded after it was made or last changed.
 *
 * @param address   {@code kind.name}
 * @param kind      its kind
 * @param id        the id the API gave it (compound {@code a/b} for attachments, rules, router interfaces)
 * @param inputs    the resolved attributes it was made or last updated with
 * @param outputs   its view as last read (what references read)
 * @param dependsOn addresses it referenced when made (destroy goes in reverse of these)
 */
public record StoredResource(String address, Kind kind, String id, JsonNode inputs, JsonNode outputs,
        Set<String> dependsOn) {
}
