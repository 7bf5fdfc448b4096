package io.virga.gateway.openapi;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Visits every schema of a document once: the component schemas, and the inline schemas of every
 * parameter, request body, response body and response header, with all their nested schemas
 * (properties, items, additional properties, allOf / anyOf / oneOf / not).
 */
final class SchemaWalker {
    private final Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Consumer<Schema> visitor;

    private SchemaWalker(Consumer<Schema> visitor) {
        this.visitor = visitor;
    }

    /** Calls {@code visitor} on every schema of {@code doc}, parents before their children. */
    static void walk(OpenAPI doc, Consumer<Schema> visitor) {
        SchemaWalker w = new SchemaWalker(visitor);
        Components components = doc.getComponents();
        if (components != null && components.getSchemas() != null) {
            components.getSchemas().values().forEach(w::visit);
        }
        if (doc.getPaths() == null || doc.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : doc.getPaths().getPathItems().values()) {
            if (item.getParameters() != null) {
                item.getParameters().forEach(p -> w.visit(p.getSchema()));
            }
            if (item.getOperations() != null) {
                item.getOperations().values().forEach(w::visit);
            }
        }
    }

    private void visit(Operation op) {
        if (op.getParameters() != null) {
            op.getParameters().forEach(p -> visit(p.getSchema()));
        }
        if (op.getRequestBody() != null) {
            visit(op.getRequestBody().getContent());
        }
        if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
            op.getResponses().getAPIResponses().values().forEach(r -> {
                visit(r.getContent());
                if (r.getHeaders() != null) {
                    r.getHeaders().values().forEach(h -> visit(h.getSchema()));
                }
            });
        }
    }

    private void visit(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        for (MediaType m : content.getMediaTypes().values()) {
            visit(m.getSchema());
        }
    }

    private void visit(Schema s) {
        if (s == null || !seen.add(s)) {
            return;
        }
        visitor.accept(s);
        Map<String, Schema> props = s.getProperties();
        if (props != null) {
            props.values().forEach(this::visit);
        }
        visit(s.getItems());
        visit(s.getAdditionalPropertiesSchema());
        visit(s.getNot());
        if (s.getAllOf() != null) {
            s.getAllOf().forEach(this::visit);
        }
        if (s.getAnyOf() != null) {
            s.getAnyOf().forEach(this::visit);
        }
        if (s.getOneOf() != null) {
            s.getOneOf().forEach(this::visit);
        }
    }
}
