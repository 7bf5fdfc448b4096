package io.virga.gateway.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Renames every schema property (and its {@code required} entry) the way the wire names it:
 * {@code quarkus.jackson.property-naming-strategy=SNAKE_CASE} with Jackson's own translation, so
 * {@code ramMb} becomes {@code ram_mb} in the document exactly as in the JSON. Names already in
 * snake_case are unchanged. Map keys ({@code additionalProperties}) are data, never renamed.
 */
final class SnakeCaseSchemas {
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    private SnakeCaseSchemas() {
    }

    /** The wire name of a Java property name. */
    static String wireName(String javaName) {
        return SNAKE.translate(javaName);
    }

    static void apply(OpenAPI doc) {
        SchemaWalker.walk(doc, SnakeCaseSchemas::rename);
    }

    private static void rename(Schema s) {
        Map<String, Schema> props = s.getProperties();
        if (props != null && !props.isEmpty()) {
            Map<String, Schema> renamed = new LinkedHashMap<>();
            props.forEach((name, schema) -> renamed.put(wireName(name), schema));
            s.setProperties(renamed);
        }
        List<String> required = s.getRequired();
        if (required != null && !required.isEmpty()) {
            s.setRequired(required.stream().map(SnakeCaseSchemas::wireName).distinct().toList());
        }
    }
}
