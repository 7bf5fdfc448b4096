package io.virga.gateway.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * Jackson writes every property of a response, {@code null} included, and reads a {@code null} in a request as
 * if the field were left out. So in this document a property that is not {@code required} may be {@code null}:
 * its type gets {@code "null"} added (a {@code $ref} becomes {@code anyOf: [$ref, {type: null}]}). A property
 * that is never null is marked {@code required} on its record component
 * ({@code @Schema(requiredMode = REQUIRED)}).
 */
final class NullableFields {
    private NullableFields() {
    }

    static void apply(OpenAPI doc) {
        SchemaWalker.walk(doc, NullableFields::nullOptional);
    }

    private static void nullOptional(Schema s) {
        Map<String, Schema> props = s.getProperties();
        if (props == null || props.isEmpty()) {
            return;
        }
        List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
        Map<String, Schema> out = new LinkedHashMap<>();
        props.forEach((name, p) -> out.put(name, required.contains(name) ? p : nullable(p)));
        s.setProperties(out);
    }

    static Schema nullable(Schema p) {
        if (p.getRef() != null) {
            return OASFactory.createSchema().addAnyOf(p).addAnyOf(OASFactory.createSchema().addType(SchemaType.NULL));
        }
        if (p.getType() != null && !p.getType().isEmpty() && !p.getType().contains(SchemaType.NULL)) {
            p.addType(SchemaType.NULL);
        }
        return p;
    }
}
